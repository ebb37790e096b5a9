#!/usr/bin/env bash
# `make bench-churn`: tern under a steady load while its whole member list is replaced
# every second through the admin API, against the same load without churn.
#
# Builds tern (Release) into build-bench/ as `make bench` does, compiles the benchmark
# backend and starts ONE of it on 0.0.0.0 (every address of 127.0.0.0/8 reaches it), and
# tern with one listener and one group (deregistration_delay: 0, health checks disabled,
# workers: 1) whose 5,000 targets 127.0.X.Y:PORT are all that backend, registered
# through the API in calls of 1,000. tern is pinned to CPU 0; wrk, the backend and the
# API's client (curl) to CPU 1. After a warm-up (so that every target has a pooled
# connection), two wrk runs of the same length and connection count:
#   (a) no churn;
#   (b) while a loop replaces the whole member list once a second: POST 5,000 new targets
#       (the other 127.R range), then DELETE the 5,000 old ones, alternating ranges.
# Reports requests/s, p50, p99, max latency, non-2xx and socket errors of each, the number
# of complete replacements done during (b) and how long each took (an answer 200 means
# every worker has the new list), tern's CPU time per request, and the tern log lines
# that are not about targets joining and leaving. Prints a table and rewrites
# bench/CHURN.md.
#
# Knobs (environment):
#   CHURN_QUICK=1        smoke run: 500 targets (1 call per range), 1 s warm-up, 2 s runs;
#                        writes build-bench/churn-quick/CHURN.md and exits 1 on a problem
#   CHURN_TARGETS (5000), CHURN_PER_CALL (1000, the API's maximum), CHURN_DURATION (20, s),
#   CHURN_WARMUP (5, s), CHURN_CONNS (64), CHURN_INTERVAL (1, s between replacement starts)
#   CHURN_TERN_BIN=PATH  use this tern binary instead of building one
#   CHURN_OUT=FILE       where the Markdown goes (default bench/CHURN.md; "-": none)
#   CHURN_WRK_SCRIPT=0   plain wrk, without bench/lib/wrk-report.lua (which counts status
#                        codes and gives exact percentiles, at a small cost to wrk)
#   CHURN_KEEP=1         keep the work directory (kept anyway when a problem was seen)
#   CHURN_STRICT=1       exit 1 when a problem was seen; the default for CHURN_QUICK=1
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
started_at=$SECONDS
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
loadavg_before=$(cut -d' ' -f1-3 /proc/loadavg)
command_line="make bench-churn"
for knob in CHURN_QUICK CHURN_TARGETS CHURN_PER_CALL CHURN_DURATION CHURN_WARMUP CHURN_CONNS \
  CHURN_INTERVAL CHURN_TERN_BIN CHURN_OUT CHURN_WRK_SCRIPT CHURN_STRICT; do
  [ -n "${!knob:-}" ] && command_line="$knob=$(printf '%q' "${!knob}") $command_line"
done

quick=${CHURN_QUICK:-0}
if [ "$quick" = 1 ]; then
  targets=${CHURN_TARGETS:-500} duration=${CHURN_DURATION:-2} warmup=${CHURN_WARMUP:-1}
  out_md=${CHURN_OUT:-$root/build-bench/churn-quick/CHURN.md}
else
  targets=${CHURN_TARGETS:-5000} duration=${CHURN_DURATION:-20} warmup=${CHURN_WARMUP:-5}
  out_md=${CHURN_OUT:-$root/bench/CHURN.md}
fi
per_call=${CHURN_PER_CALL:-1000}
conns=${CHURN_CONNS:-64}
interval_ms=$((${CHURN_INTERVAL:-1} * 1000))
wrk_script=${CHURN_WRK_SCRIPT:-1}
strict=${CHURN_STRICT:-$quick}
build_dir=$root/build-bench
if [ "$targets" -gt 12500 ] || [ "$per_call" -gt 1000 ]; then
  echo "churn: at most 12,500 targets per range (127.R.0-49.1-250) and 1,000 per call" >&2
  exit 1
fi

need() { command -v "$1" >/dev/null 2>&1 || { echo "churn: $1 not found ($2)" >&2; exit 1; }; }
need wrk "make deps installs it"
need curl "make deps installs it"
need taskset "util-linux"
need cc "make deps installs g++"
[ -x /usr/bin/python3 ] || { echo "churn: /usr/bin/python3 is missing" >&2; exit 1; }
[ "$(nproc)" -ge 2 ] || { echo "churn: needs 2 CPUs (tern on 0, load on 1)" >&2; exit 1; }
# During (b) tern and the backend hold a connection per target of both ranges for a
# moment (the old ones close as they drain), plus wrk's.
hard=$(ulimit -Hn)
nofile=65536
[ "$hard" != unlimited ] && [ "$hard" -lt "$nofile" ] && nofile=$hard
ulimit -n "$nofile"
if [ $((2 * targets + conns + 512)) -gt "$nofile" ]; then
  echo "churn: RLIMIT_NOFILE hard limit $hard is too low for 2 x $targets targets" >&2
  exit 1
fi

# shellcheck source=bench/lib/build.sh
source bench/lib/build.sh
build_tern "${CHURN_TERN_BIN:-}" churn
# shellcheck source=bench/lib/ports.sh
source bench/lib/ports.sh
# shellcheck source=bench/lib/backend.sh
source bench/lib/backend.sh
# shellcheck source=bench/lib/measure.sh
source bench/lib/measure.sh
# shellcheck source=bench/lib/churn.sh
source bench/lib/churn.sh

work=$(mktemp -d "${TMPDIR:-/tmp}/tern-churn.XXXXXX")
mkdir -p "$work/raw"
backend_pid="" wrk_pid="" loop_pid=""
cleanup() {
  local rc=$?
  touch "$work/churn.stop"
  for pid in $wrk_pid $loop_pid; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  stop_churn_tern
  if [ -n "$backend_pid" ]; then
    kill "$backend_pid" 2>/dev/null || true
    wait "$backend_pid" 2>/dev/null || true
  fi
  if [ "${CHURN_KEEP:-0}" = 1 ] || [ "$rc" -ne 0 ] || [ -e "$work/problems.seen" ]; then
    echo "churn: raw outputs kept in $work"
  else
    rm -rf "$work"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

backend_bin=$work/bench-backend
cc -O2 -Wall -Wextra -o "$backend_bin" bench/backend/backend.c
start_bench_backend churn "$work/backend.out" --bind 0.0.0.0

read -r -a ports <<<"$(free_ports 2)"
[ ${#ports[@]} -eq 2 ] || { echo "churn: no free ports" >&2; exit 1; }
tern_port=${ports[0]} admin_port=${ports[1]}
write_churn_config "$work/tern.conf"
write_churn_bodies
start_churn_tern

echo "churn: registering $targets targets in $calls_per_range calls of at most $per_call"
if ! register_range 0; then
  echo "churn: registration failed:" >&2
  cat "$work/raw/register.txt" >&2
  exit 1
fi
read -r members draining <<<"$(group_counts)"
echo "$members $draining" >"$work/raw/counts-start.txt"
if [ "$members" != "$targets" ]; then
  echo "churn: the group lists $members members after registration, expected $targets" >&2
  exit 1
fi
probe=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "http://127.0.0.1:$tern_port/")
[ "$probe" = 200 ] || { echo "churn: GET / through tern answered $probe" >&2; exit 1; }

wrk_args=(-t1 -c"$conns" -d"${duration}s" --latency)
[ "$wrk_script" = 1 ] && wrk_args+=(-s "$root/bench/lib/wrk-report.lua")
url="http://127.0.0.1:$tern_port/"

echo "churn: warming up ${warmup} s (a pooled connection to every target)"
taskset -c 1 wrk -t1 -c"$conns" -d"${warmup}s" "$url" >"$work/raw/wrk-warmup.txt" 2>&1 || true

# One measured run NAME: wrk, with tern's CPU jiffies over wrk's run and the tern log's
# length around it (for (b), until the last replacement finished).
measured_run() { # NAME
  local name=$1 rc=0 user0 sys0 user1 sys1 status=ok
  read -r user0 sys0 <<<"$(cpu_jiffies "$tern_pid")"
  wc -l <"$work/tern.err" >"$work/raw/log-start-$name.txt"
  now_ms >"$work/raw/start-$name.txt"
  taskset -c 1 wrk "${wrk_args[@]}" "$url" >"$work/raw/wrk-$name.txt" 2>&1 &
  wrk_pid=$!
  if [ "$name" = b ]; then start_loop; fi
  wait "$wrk_pid" || rc=$?
  wrk_pid=""
  now_ms >"$work/raw/end-$name.txt"
  [ "$rc" -eq 0 ] || status="wrk-exit-$rc"
  if ! read -r user1 sys1 <<<"$(cpu_jiffies "$tern_pid" 2>/dev/null)" || [ -z "$sys1" ]; then
    status=tern-died user1=$user0 sys1=$sys0
  fi
  if [ "$name" = b ]; then stop_loop; fi
  now_ms >"$work/raw/loop-end-$name.txt"
  wc -l <"$work/tern.err" >"$work/raw/log-end-$name.txt"
  printf '%s\t%s\t%s\t%s\n' "$name" $((user1 - user0)) $((sys1 - sys0)) "$status" >>"$work/runs.tsv"
}
start_loop() {
  rm -f "$work/churn.stop"
  churn_loop 0 &
  loop_pid=$!
}
# Lets the replacement under way finish (the member list stays one range), then stops.
stop_loop() {
  touch "$work/churn.stop"
  wait "$loop_pid" || true
  loop_pid=""
}

echo "churn: (a) no churn: wrk ${wrk_args[*]}"
measured_run a
read -r members draining <<<"$(group_counts)"
echo "$members $draining" >"$work/raw/counts-a.txt"
echo "churn: (b) whole member list replaced every $((interval_ms / 1000)) s: wrk ${wrk_args[*]}"
measured_run b
# The last replacement's old range drains (delay 0: once idle); give it a moment, and
# count its `removed` lines with (b).
sleep 1
wc -l <"$work/tern.err" >"$work/raw/log-end-b.txt"
read -r members draining <<<"$(group_counts)"
echo "$members $draining" >"$work/raw/counts-b.txt"
alive "$tern_pid" || echo "tern-died" >"$work/raw/tern-died.txt"

first_line() { "$@" 2>&1 | head -n 1; }
{
  printf 'command\t%s\n' "$command_line"
  printf 'started\t%s\n' "$started"
  printf 'elapsed_seconds\t%s\n' $((SECONDS - started_at))
  printf 'build_seconds\t%s\n' "$build_seconds"
  printf 'quick\t%s\n' "$quick"
  printf 'targets\t%s\n' "$targets"
  printf 'per_call\t%s\n' "$per_call"
  printf 'calls_per_range\t%s\n' "$calls_per_range"
  printf 'duration\t%s\n' "$duration"
  printf 'warmup\t%s\n' "$warmup"
  printf 'conns\t%s\n' "$conns"
  printf 'interval_ms\t%s\n' "$interval_ms"
  printf 'wrk_script\t%s\n' "$wrk_script"
  printf 'wrk_args\t%s\n' "wrk ${wrk_args[*]/#$root\//} URL"
  printf 'backend_port\t%s\n' "$backend_port"
  printf 'clk_tck\t%s\n' "$(getconf CLK_TCK)"
  printf 'nproc\t%s\n' "$(nproc)"
  printf 'cpu_model\t%s\n' "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
  printf 'kernel\t%s\n' "$(uname -sr)"
  printf 'loadavg_before\t%s\n' "$loadavg_before"
  printf 'loadavg_after\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
  printf 'tern\t%s\n' "$(first_line "$tern_bin" --version)"
  printf 'tern_source\t%s\n' "$(git describe --always --dirty 2>/dev/null || echo unknown)"
  printf 'wrk\t%s\n' "$(first_line wrk -v)"
  printf 'curl\t%s\n' "$(first_line curl --version)"
} >"$work/meta.tsv"
cp "$work/tern.conf" "$work/raw/tern.conf"

mkdir -p "$(dirname "$out_md")"
/usr/bin/python3 bench/lib/churn-report.py "$work" "$out_md" | tee "$work/report.txt"
echo "churn: done in $((SECONDS - started_at)) s"
if grep -q '^PROBLEM' "$work/report.txt"; then
  touch "$work/problems.seen"
  [ "$strict" = 1 ] && { echo "churn: problems seen (CHURN_STRICT=1)" >&2; exit 1; }
fi
exit 0
