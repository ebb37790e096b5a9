# shellcheck shell=bash
# Sourced by bench/run.sh: one measurement each. Raw outputs go to $work/raw/ and one
# line per measurement to $work/*.tsv; bench/report.py turns them into figures.
#
# Expects: $work, $client_bin, $duration, $idle_settle, port_of[], pid_of[] (bench/lib/proxies.sh).

# "USER SYS" jiffies of every thread of PID: fields 14 (utime) and 15 (stime) of
# /proc/PID/stat, counted after the parenthesised command name, which may contain spaces.
cpu_jiffies() { # PID
  local line rest
  read -r line <"/proc/$1/stat" || return 1
  rest=${line##*) }
  # shellcheck disable=SC2086
  set -- $rest
  echo "${12} ${13}"
}

# TCP segments sent so far in this network namespace (OutSegs of the Tcp: lines of
# /proc/net/snmp, found by its name in the header line): on loopback, every hop counts.
tcp_out_segs() {
  awk '/^Tcp:/ { if (!col) { for (i = 1; i <= NF; i++) if ($i == "OutSegs") col = i }
                 else { print $col; exit } }' /proc/net/snmp
}

rss_kib() { # PID
  awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}

alive() { kill -0 "$1" 2>/dev/null; }

# One wrk round against NAME at CONNS connections, tagged ROUND. The load generator runs
# on CPU 1 (with the backend); the proxy is pinned to CPU 0.
wrk_round() { # NAME CONNS ROUND
  local name=$1 conns=$2 round=$3 pid=${pid_of[$1]}
  local out="$work/raw/wrk-$name-c$conns-r$round.txt"
  if ! alive "$pid"; then
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$conns" "$round" 0 0 0 dead >>"$work/rounds.tsv"
    return
  fi
  local rc=0 segs_before user_before sys_before user_after sys_after
  segs_before=$(tcp_out_segs)
  read -r user_before sys_before <<<"$(cpu_jiffies "$pid")"
  taskset -c 1 wrk -t1 -c"$conns" -d"${duration}s" --latency \
    "http://127.0.0.1:${port_of[$name]}/" >"$out" 2>&1 || rc=$?
  local status=ok
  [ "$rc" -eq 0 ] || status="wrk-exit-$rc"
  if ! read -r user_after sys_after <<<"$(cpu_jiffies "$pid" 2>/dev/null)" ||
    [ -z "$sys_after" ] || ! alive "$pid"; then
    status=dead
    user_after=$user_before sys_after=$sys_before
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$conns" "$round" \
    $((user_after - user_before)) $((sys_after - sys_before)) $(($(tcp_out_segs) - segs_before)) \
    "$status" >>"$work/rounds.tsv"
}

# System calls of NAME's measured process during an extra wrk run of SECONDS at CONNS
# connections, counted by `perf stat -e raw_syscalls:sys_enter -p PID` (kept apart from
# the rounds: the tracepoint adds a little work to every system call). perf counts from
# just before the run until half a second after it, so every request's calls are in.
syscall_round() { # NAME CONNS SECONDS
  local name=$1 conns=$2 seconds=$3 pid=${pid_of[$1]}
  local out="$work/raw/wrk-syscalls-$name.txt" counts="$work/raw/perf-syscalls-$name.csv"
  if ! alive "$pid"; then
    printf '%s\t%s\t%s\n' "$name" "$conns" dead >>"$work/syscalls.tsv"
    return
  fi
  taskset -c 1 perf stat -e raw_syscalls:sys_enter -p "$pid" -x, -o "$counts" \
    -- sleep "$seconds.5" >"$work/raw/perf-syscalls-$name.err" 2>&1 &
  local perf=$! rc=0 perf_rc=0 deadline=$((SECONDS + 10))
  # perf enables its counters, then execs the `sleep` it forked: counting has started once
  # that child is called sleep.
  while ! pgrep -x -P "$perf" sleep >/dev/null && alive "$perf" && [ $SECONDS -lt $deadline ]; do
    sleep 0.02
  done
  taskset -c 1 wrk -t1 -c"$conns" -d"${seconds}s" --latency \
    "http://127.0.0.1:${port_of[$name]}/" >"$out" 2>&1 || rc=$?
  wait "$perf" || perf_rc=$?
  local status=ok
  [ "$perf_rc" -eq 0 ] || status="perf-exit-$perf_rc"
  [ "$rc" -eq 0 ] || status="wrk-exit-$rc"
  alive "$pid" || status=dead
  printf '%s\t%s\t%s\n' "$name" "$conns" "$status" >>"$work/syscalls.tsv"
}

# Memory per idle connection of NAME: RSS of the measured process before and after
# bench-client holds N keep-alive connections that each carried one request.
idle_test() { # NAME N
  local name=$1 n=$2 pid=${pid_of[$1]}
  local fifo="$work/idle-$name.fifo" out="$work/raw/idle-$name.txt"
  mkfifo "$fifo"
  local before
  before=$(rss_kib "$pid")
  taskset -c 1 "$client_bin" idle 127.0.0.1 "${port_of[$name]}" "$n" 200 <"$fifo" >"$out" \
    2>&1 &
  local client=$!
  exec 9<>"$fifo" # read-write: never blocks, and EOF reaches the client on close
  local deadline=$((SECONDS + 120))
  while ! grep -qs '^ready' "$out" && alive "$client" && [ $SECONDS -lt $deadline ]; do
    sleep 0.1
  done
  # A moment for whatever the proxy frees or allocates after answering (deferred frees,
  # pool trims), so the figure is the steady idle cost.
  sleep "$idle_settle"
  local after=0 status=ok
  if alive "$pid"; then after=$(rss_kib "$pid"); else status=dead; fi
  exec 9>&-
  wait "$client" || [ "$status" != ok ] || status="client-failed"
  rm -f "$fifo"
  local ready still
  ready=$(sed -n 's/^ready //p' "$out")
  still=$(sed -n 's/^still_open=//p' "$out")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$n" "$before" "$after" "${ready:-none}" \
    "${still:-0}" "$status" >>"$work/idle.tsv"
}

# Instructions per request of NAME under callgrind: start it under valgrind, warm up,
# zero the counters, send REQUESTS over 32 connections, dump, and read the Ir total.
callgrind_test() { # NAME REQUESTS WARMUP
  local name=$1 requests=$2 warmup=$3
  local cgout="$work/raw/callgrind-$name.out"
  local status=ok ir=0
  if ! start_proxy "$name" callgrind taskset -c 0 valgrind --tool=callgrind \
    --callgrind-out-file="$cgout" --dump-instr=no --compress-strings=no; then
    status="start-failed"
  else
    local pid=${pid_of[$name]} load="$work/raw/callgrind-$name-load.txt"
    taskset -c 1 "$client_bin" load 127.0.0.1 "${port_of[$name]}" 32 "$warmup" >"$load" 2>&1 ||
      status="warmup-failed"
    callgrind_control -z "$pid" >>"$load" 2>&1 || status="zero-failed"
    taskset -c 1 "$client_bin" load 127.0.0.1 "${port_of[$name]}" 32 "$requests" >>"$load" \
      2>&1 || status="load-failed"
    callgrind_control -d "$pid" >>"$load" 2>&1 || status="dump-failed"
    # The dump requested after zeroing is numbered .1 (the one at exit is unnumbered).
    if [ -f "$cgout.1" ]; then
      ir=$(awk '/^totals:/ { print $2; exit }' "$cgout.1")
    else
      status="no-dump"
    fi
  fi
  stop_proxy "$name"
  printf '%s\t%s\t%s\t%s\n' "$name" "$requests" "${ir:-0}" "$status" >>"$work/callgrind.tsv"
}
