#!/usr/bin/env bash
# `make bench`: tern against nginx and HAProxy, side by side, on this machine (issue 3).
#
# Builds tern (Release) into build-bench/, compiles the benchmark backend and client,
# starts one instance of each proxy in front of the same backend on 127.0.0.1 ports of
# their own, and measures requests/s, p50/p99 latency, CPU time per request, memory per
# idle connection and instructions per request (callgrind), and where the CPU goes: user
# and sys time per request, TCP segments per request and, when perf is usable, system
# calls per request. Prints tables ending in one line of ratios, writes
# bench/results/latest.json and rewrites bench/RESULTS.md.
#
# Knobs (environment):
#   BENCH_QUICK=1            smoke run of a few seconds: 1 round of 1 s, 1,000 idle
#                            connections, a tiny callgrind pass on tern only, no perf run;
#                            results go to build-bench/bench-quick/ and RESULTS.md is left
#                            alone
#   BENCH_ROUNDS, BENCH_DURATION (s), BENCH_CONNS ("32 256"), BENCH_IDLE_CONNS,
#   BENCH_PROXIES ("tern nginx haproxy"), BENCH_CALLGRIND (0 skips callgrind),
#   BENCH_CALLGRIND_REQUESTS, BENCH_CALLGRIND_PROXIES (default: all; quick: tern)
#   BENCH_TERN_BIN=PATH      measure this tern binary instead of building one
#   BENCH_TERN_BASELINE_BIN=PATH
#                            also measure this second tern binary (e.g. a build of the
#                            commit before a change) as the proxy `tern-base`, exactly like
#                            `tern`: same config, pinning and rounds, interleaved right after
#                            it; report.py adds its row and the tern/tern-base ratios. It is
#                            placed after `tern` in BENCH_PROXIES unless listed there already
#   BENCH_IO_URING=1         build tern with Asio on io_uring instead of epoll (CMake
#                            TERN_IO_URING, into build-bench-uring/); see README.md
#   BENCH_OUT=DIR            where latest.json (and RESULTS.md for full runs) go
#   BENCH_KEEP=1             keep the work directory (kept anyway when a problem was seen)
#   BENCH_STRICT=1           exit 1 when a problem was seen (errors, non-2xx, a crash);
#                            the default for BENCH_QUICK=1, so the smoke test catches them
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
started_at=$SECONDS
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
loadavg_before=$(cut -d' ' -f1-3 /proc/loadavg)
# The exact command, with every knob that was set.
command_line="make bench"
for knob in BENCH_ROUNDS BENCH_DURATION BENCH_CONNS BENCH_IDLE_CONNS BENCH_CALLGRIND \
  BENCH_CALLGRIND_REQUESTS BENCH_CALLGRIND_PROXIES BENCH_PROXIES BENCH_TERN_BIN \
  BENCH_TERN_BASELINE_BIN BENCH_OUT BENCH_STRICT BENCH_QUICK BENCH_IO_URING; do
  [ -n "${!knob:-}" ] && command_line="$knob=$(printf '%q' "${!knob}") $command_line"
done

quick=${BENCH_QUICK:-0}
if [ "$quick" = 1 ]; then
  rounds=${BENCH_ROUNDS:-1} duration=${BENCH_DURATION:-1} idle_conns=${BENCH_IDLE_CONNS:-1000}
  cg_requests=${BENCH_CALLGRIND_REQUESTS:-300} cg_warmup=100 warm_seconds=0 idle_settle=0.2
  out_dir=${BENCH_OUT:-$root/build-bench/bench-quick}
  cg_proxies=${BENCH_CALLGRIND_PROXIES:-tern}
else
  rounds=${BENCH_ROUNDS:-5} duration=${BENCH_DURATION:-5} idle_conns=${BENCH_IDLE_CONNS:-10000}
  cg_requests=${BENCH_CALLGRIND_REQUESTS:-20000} cg_warmup=2000 warm_seconds=2 idle_settle=1
  out_dir=${BENCH_OUT:-$root/bench}
  cg_proxies=${BENCH_CALLGRIND_PROXIES:-}
fi
conns_list=${BENCH_CONNS:-32 256}
proxies=${BENCH_PROXIES:-tern nginx haproxy}
# A second tern binary, measured as `tern-base` right after `tern` (before/after in one run).
tern_base_bin=${BENCH_TERN_BASELINE_BIN:-}
if [ -n "$tern_base_bin" ]; then
  [ -x "$tern_base_bin" ] || { echo "bench: BENCH_TERN_BASELINE_BIN=$tern_base_bin is not an executable" >&2; exit 1; }
  case " $proxies " in
    *" tern-base "*) ;;
    *" tern "*)
      proxies=" $proxies "
      proxies=${proxies/ tern / tern tern-base }
      proxies=${proxies# } proxies=${proxies% }
      ;;
    *) proxies="tern-base $proxies" ;;
  esac
  # The smoke run's callgrind pass covers both terns.
  if [ "$quick" = 1 ] && [ -z "${BENCH_CALLGRIND_PROXIES:-}" ]; then cg_proxies="tern tern-base"; fi
elif [[ " $proxies " == *" tern-base "* ]]; then
  echo "bench: tern-base needs BENCH_TERN_BASELINE_BIN" >&2
  exit 1
fi
cg_proxies=${cg_proxies:-$proxies}
callgrind=${BENCH_CALLGRIND:-1}
strict=${BENCH_STRICT:-$quick}
build_dir=$root/build-bench

need() { command -v "$1" >/dev/null 2>&1 || { echo "bench: $1 not found ($2)" >&2; exit 1; }; }
need wrk "make deps installs it"
need nginx "make deps installs it"
need haproxy "make deps installs it"
need curl "make deps installs it"
need taskset "util-linux"
need cc "make deps installs g++"
if [ "$callgrind" = 1 ] && [ "$quick" = 1 ] && ! command -v valgrind >/dev/null 2>&1; then
  echo "bench: valgrind not installed; the smoke run skips callgrind"
  callgrind=0
elif [ "$callgrind" = 1 ] && ! command -v valgrind >/dev/null 2>&1; then
  echo "bench: installing valgrind for the instructions-per-request figure"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends valgrind
fi
[ "$(nproc)" -ge 2 ] || { echo "bench: needs 2 CPUs (proxy on 0, load on 1)" >&2; exit 1; }
# System calls per request need perf (optional, not a dependency): without it the figure
# is "—". Counted in an extra run of syscall_seconds at the highest connection count.
syscall_seconds=3
syscalls_by="skipped (BENCH_QUICK=1)"
if [ "$quick" != 1 ]; then
  if ! command -v perf >/dev/null 2>&1; then
    syscalls_by="perf not installed"
  elif ! perf stat -e raw_syscalls:sys_enter -x, -o /dev/null -- true >/dev/null 2>&1; then
    syscalls_by="perf not usable: perf stat -e raw_syscalls:sys_enter failed"
  else
    syscalls_by=perf
  fi
  [ "$syscalls_by" = perf ] || echo "bench: $syscalls_by; system calls per request show —"
fi
top_conns=$(tr ' ' '\n' <<<"$conns_list" | sort -n | tail -n 1)

# 10,000 idle connections need as many descriptors in the proxy and the client: raise the
# soft limit as far as the hard one allows (inherited by everything started below).
hard=$(ulimit -Hn)
nofile=65536
[ "$hard" != unlimited ] && [ "$hard" -lt "$nofile" ] && nofile=$hard
ulimit -n "$nofile"
if [ $((idle_conns + 512)) -gt "$nofile" ]; then
  echo "bench: RLIMIT_NOFILE hard limit $hard is too low for $idle_conns idle connections" >&2
  exit 1
fi
# HAProxy sizes its pool of idle server connections from maxconn: below a few thousand it
# closes server connections under 256 clients and opens one per request (9 TCP segments
# per request instead of 4 with 500 idle connections), so maxconn never goes below 4,096.
haproxy_maxconn=$((idle_conns + 512))
[ "$haproxy_maxconn" -ge 4096 ] || haproxy_maxconn=4096

# shellcheck source=bench/lib/build.sh
source bench/lib/build.sh
build_tern "${BENCH_TERN_BIN:-}" bench

# shellcheck source=bench/lib/proxies.sh
source bench/lib/proxies.sh
# shellcheck source=bench/lib/measure.sh
source bench/lib/measure.sh

work=$(mktemp -d "${TMPDIR:-/tmp}/tern-bench.XXXXXX")
chmod 755 "$work" # the nginx worker drops to an unprivileged user when started as root
mkdir -p "$work/raw"
backend_pid=""
cleanup() {
  local rc=$?
  for name in $proxies; do stop_proxy "$name"; done
  if [ -n "$backend_pid" ]; then
    kill "$backend_pid" 2>/dev/null || true
    wait "$backend_pid" 2>/dev/null || true
  fi
  if [ "${BENCH_KEEP:-0}" = 1 ] || [ "$rc" -ne 0 ] || [ -e "$work/problems.seen" ]; then
    echo "bench: raw outputs kept in $work"
  else
    rm -rf "$work"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Built per run into the work directory: under a second, and concurrent runs (a smoke
# test beside a `make bench`) never replace each other's running binaries.
backend_bin=$work/bench-backend
client_bin=$work/bench-client
cc -O2 -Wall -Wextra -o "$backend_bin" bench/backend/backend.c
cc -O2 -Wall -Wextra -o "$client_bin" bench/client/benchclient.c

# shellcheck source=bench/lib/ports.sh
source bench/lib/ports.sh
# shellcheck source=bench/lib/backend.sh
source bench/lib/backend.sh

start_bench_backend bench "$work/backend.out" --dump "$work/forwarded.txt"

read -r -a proxy_list <<<"$proxies"
read -r -a ports <<<"$(free_ports ${#proxy_list[@]})"
[ ${#ports[@]} -eq ${#proxy_list[@]} ] || { echo "bench: no free ports" >&2; exit 1; }
i=0
for name in $proxies; do
  port_of[$name]=${ports[i]}
  i=$((i + 1))
  write_proxy_config "$name"
done
for name in $proxies; do
  start_proxy "$name" run taskset -c 0
  printf '=== through %s\n' "$name" >>"$work/forwarded.txt"
  curl -s -o /dev/null "http://127.0.0.1:${port_of[$name]}/bench-probe/$name"
done

# Idle memory first, on fresh processes that have served one request: measured after the
# load rounds, the free lists left by 256 busy connections would hide part of the cost.
echo "bench: memory per connection with $idle_conns idle keep-alive connections"
for name in $proxies; do
  if alive "${pid_of[$name]}"; then idle_test "$name" "$idle_conns"; fi
done

if [ "$warm_seconds" -gt 0 ]; then
  echo "bench: warming up ($proxies)"
  for name in $proxies; do
    taskset -c 1 wrk -t1 -c256 -d"${warm_seconds}s" "http://127.0.0.1:${port_of[$name]}/" \
      >"$work/raw/warmup-$name.txt" 2>&1 || true
  done
fi

for round in $(seq "$rounds"); do
  for conns in $conns_list; do
    echo "bench: round $round/$rounds, $conns connections"
    for name in $proxies; do wrk_round "$name" "$conns" "$round"; done
  done
done

if [ "$syscalls_by" = perf ]; then
  echo "bench: system calls per request under perf stat ($syscall_seconds s at $top_conns connections)"
  for name in $proxies; do syscall_round "$name" "$top_conns" "$syscall_seconds"; done
fi

for name in $proxies; do
  if ! alive "${top_of[$name]}"; then
    # Its last words tell a crash from a signal sent by someone else on this machine.
    rc=0
    wait "${top_of[$name]}" || rc=$?
    how="exit status $rc"
    [ "$rc" -gt 128 ] && how="killed by signal $((rc - 128)) ($(kill -l "$rc"))"
    last=$(tail -n 3 "$work/$name.run.err" | tr '\n\t' '  ')
    echo "$name exited during the run, $how; its stderr ($work/$name.run.err) ends: $last" \
      >>"$work/problems.tsv"
  fi
  stop_proxy "$name"
done

if [ "$callgrind" = 1 ]; then
  echo "bench: instructions per request under callgrind ($cg_requests requests each: $cg_proxies)"
  for name in $cg_proxies; do callgrind_test "$name" "$cg_requests" "$cg_warmup"; done
fi

first_line() { "$@" 2>&1 | head -n 1; }
{
  printf 'command\t%s\n' "$command_line"
  printf 'started\t%s\n' "$started"
  printf 'elapsed_seconds\t%s\n' $((SECONDS - started_at))
  printf 'build_seconds\t%s\n' "$build_seconds"
  printf 'quick\t%s\n' "$quick"
  printf 'proxies\t%s\n' "$proxies"
  printf 'conns\t%s\n' "$conns_list"
  printf 'rounds\t%s\n' "$rounds"
  printf 'duration\t%s\n' "$duration"
  printf 'idle_conns\t%s\n' "$idle_conns"
  printf 'syscalls_by\t%s\n' "$syscalls_by"
  printf 'syscall_seconds\t%s\n' "$syscall_seconds"
  printf 'callgrind_requests\t%s\n' "$([ "$callgrind" = 1 ] && echo "$cg_requests" || echo 0)"
  printf 'callgrind_warmup\t%s\n' "$cg_warmup"
  printf 'clk_tck\t%s\n' "$(getconf CLK_TCK)"
  printf 'nproc\t%s\n' "$(nproc)"
  printf 'cpu_model\t%s\n' "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
  printf 'kernel\t%s\n' "$(uname -sr)"
  printf 'loadavg_before\t%s\n' "$loadavg_before"
  printf 'loadavg_after\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
  printf 'tern\t%s\n' "$(first_line "$tern_bin" --version)"
  printf 'tern_source\t%s\n' "$(git describe --always --dirty 2>/dev/null || echo unknown)"
  printf 'tern_bin\t%s\n' "$tern_bin"
  if [ -n "$tern_base_bin" ]; then
    printf 'tern-base\t%s\n' "$(first_line "$tern_base_bin" --version)"
    printf 'tern_base_bin\t%s\n' "$tern_base_bin"
  fi
  printf 'nginx\t%s\n' "$(first_line nginx -v)"
  printf 'haproxy\t%s\n' "$(first_line haproxy -v)"
  printf 'wrk\t%s\n' "$(first_line wrk -v)"
  printf 'gxx\t%s\n' "$(first_line g++ --version)"
  printf 'valgrind\t%s\n' "$(first_line valgrind --version)"
  printf 'perf\t%s\n' "$([ "$syscalls_by" = perf ] && first_line perf --version || echo "$syscalls_by")"
} >"$work/meta.tsv"

if [ "$quick" = 1 ]; then
  report_args=(--json "$out_dir/latest.json")
else
  report_args=(--json "$out_dir/results/latest.json" --markdown "$out_dir/RESULTS.md")
fi
/usr/bin/python3 bench/report.py --work "$work" "${report_args[@]}" | tee "$work/report.txt"
echo "bench: done in $((SECONDS - started_at)) s"
if grep -q '^PROBLEM' "$work/report.txt"; then
  touch "$work/problems.seen"
  [ "$strict" = 1 ] && { echo "bench: problems seen (BENCH_STRICT=1)" >&2; exit 1; }
fi
exit 0
