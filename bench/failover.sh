#!/usr/bin/env bash
# `make bench-failover`: requests lost when one of three backends is killed under a steady
# wrk load, for tern, nginx and HAProxy measured the same way (issue 5).
#
# Builds tern (Release) into build-bench/ as `make bench` does, compiles the benchmark
# backend and starts three of them. Then, for each proxy in turn and for each round
# (interleaved: tern, tern-hc, nginx, haproxy, tern, ...), a fresh proxy with the three as
# one upstream group takes `wrk -t1 -c32 -d10s` on GET /; 3 s after wrk starts, backend 2
# is killed with SIGKILL; after the run it is restarted for the next proxy. Lost requests
# = wrk's "Non-2xx or 3xx responses" + its socket errors (connect, read, write, timeout).
# Prints a table and rewrites bench/FAILOVER.md (configs, versions, command, per-run
# figures and what each proxy logged around the kill).
#
# Knobs (environment):
#   FAILOVER_ROUNDS (3), FAILOVER_DURATION (10, s), FAILOVER_KILL_AT (3, s after wrk
#   starts), FAILOVER_KILL_INDEX (2: which of the three backends dies), FAILOVER_CONNS (32),
#   FAILOVER_PROXIES ("tern tern-hc nginx haproxy")
#   FAILOVER_TERN_BIN=PATH   use this tern binary instead of building one
#   FAILOVER_OUT=FILE        where the Markdown goes (default bench/FAILOVER.md; "-": none)
#   FAILOVER_KEEP=1          keep the work directory (kept anyway when a run went wrong)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
started_at=$SECONDS
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
loadavg_before=$(cut -d' ' -f1-3 /proc/loadavg)
command_line="make bench-failover"
for knob in FAILOVER_ROUNDS FAILOVER_DURATION FAILOVER_KILL_AT FAILOVER_KILL_INDEX \
  FAILOVER_CONNS FAILOVER_PROXIES FAILOVER_TERN_BIN FAILOVER_OUT; do
  [ -n "${!knob:-}" ] && command_line="$knob=$(printf '%q' "${!knob}") $command_line"
done

rounds=${FAILOVER_ROUNDS:-3}
duration=${FAILOVER_DURATION:-10}
kill_at=${FAILOVER_KILL_AT:-3}
kill_index=$((${FAILOVER_KILL_INDEX:-2} - 1))
conns=${FAILOVER_CONNS:-32}
proxies=${FAILOVER_PROXIES:-tern tern-hc nginx haproxy}
out_md=${FAILOVER_OUT:-$root/bench/FAILOVER.md}
build_dir=$root/build-bench
if [ "$kill_index" -lt 0 ] || [ "$kill_index" -gt 2 ]; then
  echo "failover: FAILOVER_KILL_INDEX is 1, 2 or 3" >&2
  exit 1
fi

need() { command -v "$1" >/dev/null 2>&1 || { echo "failover: $1 not found ($2)" >&2; exit 1; }; }
need wrk "make deps installs it"
need nginx "make deps installs it"
need haproxy "make deps installs it"
need curl "make deps installs it"
need taskset "util-linux"
need cc "make deps installs g++"
[ "$(nproc)" -ge 2 ] || { echo "failover: needs 2 CPUs (proxy on 0, load on 1)" >&2; exit 1; }
hard=$(ulimit -Hn)
nofile=16384
[ "$hard" != unlimited ] && [ "$hard" -lt "$nofile" ] && nofile=$hard
ulimit -n "$nofile"

# shellcheck source=bench/lib/build.sh
source bench/lib/build.sh
build_tern "${FAILOVER_TERN_BIN:-}" failover

# shellcheck source=bench/lib/proxies.sh
source bench/lib/proxies.sh
# shellcheck source=bench/lib/measure.sh
source bench/lib/measure.sh
# shellcheck source=bench/lib/ports.sh
source bench/lib/ports.sh
# shellcheck source=bench/lib/failover.sh
source bench/lib/failover.sh
# shellcheck source=bench/lib/failover-report.sh
source bench/lib/failover-report.sh

work=$(mktemp -d "${TMPDIR:-/tmp}/tern-failover.XXXXXX")
chmod 755 "$work" # the nginx worker drops to an unprivileged user when started as root
mkdir -p "$work/raw"
wrk_pid=""
cleanup() {
  local rc=$?
  [ -z "$wrk_pid" ] || { kill "$wrk_pid" 2>/dev/null || true; wait "$wrk_pid" 2>/dev/null || true; }
  for name in $proxies; do stop_proxy "$name"; done
  for i in 0 1 2; do stop_backend "$i"; done
  if [ "${FAILOVER_KEEP:-0}" = 1 ] || [ "$rc" -ne 0 ] || [ -e "$work/problems.seen" ]; then
    echo "failover: raw outputs kept in $work"
  else
    rm -rf "$work"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

backend_bin=$work/bench-backend
cc -O2 -Wall -Wextra -o "$backend_bin" bench/backend/backend.c
read -r -a backend_ports <<<"$(free_ports 3)"
[ ${#backend_ports[@]} -eq 3 ] || { echo "bench: no free ports" >&2; exit 1; }
for i in 0 1 2; do start_backend "$i"; done

echo "failover: $rounds rounds of wrk -t1 -c$conns -d${duration}s per proxy ($proxies);" \
  "backend $((kill_index + 1)) of 3 gets SIGKILL ${kill_at} s in"
for round in $(seq "$rounds"); do
  for name in $proxies; do
    echo "failover: round $round/$rounds, $name"
    failover_run "$name" "$round"
  done
done

first_line() { "$@" 2>&1 | head -n 1; }
{
  printf 'command\t%s\n' "$command_line"
  printf 'started\t%s\n' "$started"
  printf 'elapsed_seconds\t%s\n' $((SECONDS - started_at))
  printf 'build_seconds\t%s\n' "$build_seconds"
  printf 'proxies\t%s\n' "$proxies"
  printf 'rounds\t%s\n' "$rounds"
  printf 'duration\t%s\n' "$duration"
  printf 'kill_at\t%s\n' "$kill_at"
  printf 'kill_index\t%s\n' "$((kill_index + 1))"
  printf 'conns\t%s\n' "$conns"
  printf 'nproc\t%s\n' "$(nproc)"
  printf 'cpu_model\t%s\n' "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
  printf 'kernel\t%s\n' "$(uname -sr)"
  printf 'loadavg_before\t%s\n' "$loadavg_before"
  printf 'loadavg_after\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
  printf 'tern\t%s\n' "$(first_line "$tern_bin" --version)"
  printf 'tern_source\t%s\n' "$(git describe --always --dirty 2>/dev/null || echo unknown)"
  printf 'nginx\t%s\n' "$(first_line nginx -v)"
  printf 'haproxy\t%s\n' "$(first_line haproxy -v)"
  printf 'wrk\t%s\n' "$(first_line wrk -v)"
  printf 'backend_ports\t%s\n' "${backend_ports[*]}"
} >"$work/meta.tsv"

failover_report "$work" "$out_md" | tee "$work/report.txt"
echo "failover: done in $((SECONDS - started_at)) s"
if grep -q '^PROBLEM' "$work/report.txt"; then touch "$work/problems.seen"; fi
exit 0
