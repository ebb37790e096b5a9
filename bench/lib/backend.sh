# Sourced by bench/run.sh and bench/churn.sh: the benchmark backend on a port of its own.

# start_bench_backend PREFIX OUT ARGS...: starts $backend_bin pinned to CPU 1 on port 0
# with ARGS (e.g. --bind 0.0.0.0), its output in OUT; sets backend_pid and backend_port
# (from its "listening on HOST:PORT" line); exits 1 naming PREFIX when it does not start.
start_bench_backend() {
  local prefix=$1 out=$2
  shift 2
  taskset -c 1 "$backend_bin" --port 0 "$@" >"$out" 2>&1 &
  backend_pid=$!
  for _ in $(seq 100); do grep -q listening "$out" && break; sleep 0.05; done
  backend_port=$(sed -n 's/^listening on .*://p' "$out")
  [ -n "$backend_port" ] || { echo "$prefix: the backend did not start" >&2; exit 1; }
}
