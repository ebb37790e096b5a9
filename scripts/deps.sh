#!/usr/bin/env bash
# Installs tern's build and test dependencies from Debian 12 packages, idempotently:
# nothing is touched when every package is already present.
set -euo pipefail
pkgs=(g++ cmake make pkg-config libboost1.81-dev node-llhttp libssl-dev libyaml-cpp-dev
      prometheus-cpp-dev libre2-dev libgtest-dev googletest libbenchmark-dev curl wrk
      nginx haproxy procps valgrind)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
# The Debian nginx/haproxy packages start system services; the benchmarks run their own
# instances on other ports, so the stock ones are stopped to keep the cores quiet.
for s in nginx haproxy; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active -q "$s" 2>/dev/null; then
    $SUDO systemctl stop "$s" || true
  fi
done
