#!/usr/bin/env bash
# Installs everything tern's build, tests and benchmarks call, from Debian 12 packages,
# idempotently: nothing is touched when every package is already present. Needs only
# bash, dpkg and apt (a minimal Debian 12 or the debian:12 image, as root or with sudo).
#
# A script or test that calls a tool missing here is a bug: `make fresh-check` runs the
# README's test command in a minimal Debian 12 chroot to catch it.
set -euo pipefail
pkgs=(
  # build
  g++ make cmake pkg-config libboost1.81-dev libboost-json1.81-dev node-llhttp libssl-dev libyaml-cpp-dev
  prometheus-cpp-dev libre2-dev
  # tests
  libgtest-dev googletest libbenchmark-dev
  # tools the tests, benchmarks and demo call: curl, wrk, the real nginx and HAProxy,
  # /usr/bin/python3 (bench reports, free ports), ps/pgrep (procps), valgrind (bench
  # instructions per request), perf (bench system calls per request), liburing-dev
  # (BENCH_IO_URING=1), ss/ip (iproute2), openssl
  curl wrk nginx haproxy python3 procps valgrind linux-perf liburing-dev iproute2 openssl
)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || {
    echo "scripts/deps.sh: missing packages (${missing[*]}); run as root or install sudo" >&2
    exit 1
  }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
# The Debian nginx/haproxy packages start system services when they are installed; the
# tests and benchmarks run their own instances on other ports, so the stock ones just
# installed are stopped (systemd, or the init script where there is no systemd).
for s in nginx haproxy; do
  case " ${missing[*]} " in *" $s "*) ;; *) continue ;; esac
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active -q "$s" 2>/dev/null; then
    $SUDO systemctl stop "$s" || true
  elif [ -x "/etc/init.d/$s" ] && ! [ -d /run/systemd/system ]; then
    $SUDO "/etc/init.d/$s" stop >/dev/null 2>&1 || true
  fi
done
