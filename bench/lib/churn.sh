# shellcheck shell=bash
# Sourced by bench/churn.sh: tern with one group fed only by the admin API, the target
# lists and request bodies, the registration calls and the loop that replaces the whole
# member list while wrk runs.
#
# Targets: range R (0 or 1), index I (0-based) is 127.R.X.Y:$backend_port with X = I / 250,
# Y = I % 250 + 1, so 5,000 targets are 127.R.0.1 .. 127.R.19.250. One backend listening on
# 0.0.0.0 answers all of them (every address of 127.0.0.0/8 is local).
#
# Expects: $work, $tern_bin, $backend_port, $targets, $per_call, $tern_port, $admin_port.
# Sets tern_pid (the process started) and calls_per_range.

tern_pid=""

write_churn_config() { # FILE
  cat >"$1" <<EOF
workers: 1
admin: { bind: 127.0.0.1:$admin_port }
listeners:
  - name: bench
    bind: 127.0.0.1:$tern_port
    default_action: { forward: { target_group: app } }
target_groups:
  - name: app
    deregistration_delay: 0
    health_check: { enabled: false }
EOF
}

# Request bodies WORK/bodies/rR-C.json: range R split into calls of at most $per_call.
write_churn_bodies() {
  mkdir -p "$work/bodies"
  calls_per_range=$(((targets + per_call - 1) / per_call))
  /usr/bin/python3 - "$work/bodies" "$targets" "$per_call" "$backend_port" <<'EOF'
import json, os, sys
out, n, per_call, port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
for r in (0, 1):
    ids = ["127.%d.%d.%d" % (r, i // 250, i % 250 + 1) for i in range(n)]
    for c in range(0, n, per_call):
        body = {"targets": [{"id": a, "port": port} for a in ids[c:c + per_call]]}
        with open(os.path.join(out, "r%d-%d.json" % (r, c // per_call)), "w") as f:
            json.dump(body, f, separators=(",", ":"))
EOF
}

# Starts tern pinned to CPU 0 and waits (20 s at most) until its admin API answers.
start_churn_tern() {
  taskset -c 0 "$tern_bin" --config "$work/tern.conf" >"$work/tern.out" 2>"$work/tern.err" &
  tern_pid=$!
  local deadline=$((SECONDS + 20))
  while [ $SECONDS -lt $deadline ]; do
    kill -0 "$tern_pid" 2>/dev/null || break
    if [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$admin_port/healthz")" = 200 ]; then
      return 0
    fi
    sleep 0.1
  done
  echo "churn: tern did not come up; its stderr:" >&2
  tail -n 20 "$work/tern.err" >&2
  return 1
}

stop_churn_tern() {
  [ -n "$tern_pid" ] || return 0
  local pid=$tern_pid
  tern_pid=""
  kill -TERM "$pid" 2>/dev/null || return 0
  local deadline=$((SECONDS + 10))
  while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

now_ms() { date +%s%3N; }

# One curl process for every call of one step (METHOD on range R's bodies), one line per
# call on stdout: "METHOD R C HTTP_CODE TIME_TOTAL_S SIZE_DOWNLOAD". Pinned to CPU 1 (the
# API's client is not the proxy). Answers are discarded.
api_calls() { # METHOD RANGE
  local method=$1 r=$2 c args=()
  local url="http://127.0.0.1:$admin_port/v1/target-groups/app/targets"
  for ((c = 0; c < calls_per_range; c++)); do
    [ "$c" -eq 0 ] || args+=(--next)
    args+=(-s -m 300 -o /dev/null -X "$method" -H 'Content-Type: application/json'
      --data-binary "@$work/bodies/r$r-$c.json"
      -w "$method $r $c %{http_code} %{time_total} %{size_download}\n" "$url")
  done
  taskset -c 1 curl "${args[@]}" || true
}

# Registers range R (start-up); 0 when every call answered 200.
register_range() { # RANGE
  api_calls POST "$1" | tee -a "$work/raw/register.txt" | awk '$4 != 200 { bad = 1 } END { exit bad }'
}

# Members listed for the group (GET /v1/target-groups/app): "members draining".
group_counts() {
  curl -s -m 10 "http://127.0.0.1:$admin_port/v1/target-groups/app" | /usr/bin/python3 -c '
import json, sys
try:
    doc = json.load(sys.stdin)
except ValueError:
    print("? ?")
    sys.exit(0)
groups = doc.get("TargetGroups", [doc])
d = groups[0].get("TargetHealthDescriptions", []) if groups else []
draining = sum(1 for x in d if x.get("TargetHealth", {}).get("State") == "draining")
print(len(d) - draining, draining)
'
}

# The churn loop (run in the background): until WORK/churn.stop exists, replace the whole
# member list once per $interval s: register range NEW, then deregister range OLD, then
# swap. A replacement that took longer than the interval is followed at once by the
# next. Each call is a line of WORK/raw/churn-calls.txt ("N METHOD R C CODE TIME SIZE");
# each replacement a line of WORK/churn.tsv: "N start_ms end_ms calls_answered_200 calls".
churn_loop() { # FIRST_OLD_RANGE
  local old=$1 new n=0 start end left ok total
  while [ ! -e "$work/churn.stop" ]; do
    n=$((n + 1))
    new=$((1 - old))
    start=$(now_ms)
    {
      api_calls POST "$new"
      api_calls DELETE "$old"
    } | sed "s/^/$n /" >"$work/raw/churn-$n.txt"
    end=$(now_ms)
    cat "$work/raw/churn-$n.txt" >>"$work/raw/churn-calls.txt"
    total=$((2 * calls_per_range))
    ok=$(awk '$5 == 200' "$work/raw/churn-$n.txt" | wc -l)
    printf '%s\t%s\t%s\t%s\t%s\n' "$n" "$start" "$end" "$ok" "$total" >>"$work/churn.tsv"
    rm -f "$work/raw/churn-$n.txt"
    old=$new
    left=$((start + interval_ms - $(now_ms)))
    if [ "$left" -gt 0 ] && [ ! -e "$work/churn.stop" ]; then
      sleep "$(printf '%d.%03d' $((left / 1000)) $((left % 1000)))"
    fi
  done
  echo "$old" >"$work/churn.last-range"
}
