# shellcheck shell=bash
# Sourced by bench/failover.sh after bench/lib/proxies.sh: the same proxies, now in front
# of THREE backends as one upstream group, each with its usual failure handling. The
# config writers and set_proxy_argv below replace the single-backend ones of proxies.sh;
# start_proxy, stop_proxy and wait_http are used as they are.
#
# Expects: $work, $tern_bin, $backend_bin, $nofile, $conns, $duration, $kill_at,
# $kill_index. Sets backend_ports[] and backend_pids[], port_of[NAME], admin_port_of[NAME]
# and $run_tag (NAME.rROUND), which names every file of one run: WORK/TAG.conf, WORK/TAG.err
# (stderr: tern's and HAProxy's log), WORK/TAG.error.log (nginx), WORK/raw/*-TAG.txt.

declare -A admin_port_of=()
backend_ports=()
backend_pids=()

# free_ports: bench/lib/ports.sh (sourced by failover.sh).

# Backend I (0-based) on backend_ports[I], pinned to CPU 1 with wrk; waits until it listens.
start_backend() { # I
  local i=$1 out="$work/backend$(($1 + 1)).out"
  : >"$out"
  taskset -c 1 "$backend_bin" --port "${backend_ports[i]}" >"$out" 2>&1 &
  backend_pids[i]=$!
  local _
  for _ in $(seq 100); do grep -q listening "$out" && return 0; sleep 0.05; done
  echo "failover: backend $((i + 1)) did not start on port ${backend_ports[i]}:" >&2
  cat "$out" >&2
  return 1
}

stop_backend() { # I
  local pid=${backend_pids[$1]:-}
  [ -n "$pid" ] || return 0
  backend_pids[$1]=""
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

targets_yaml() {
  local p sep="" out=""
  for p in "${backend_ports[@]}"; do out="$out${sep}127.0.0.1:$p"; sep=", "; done
  echo "[$out]"
}

# tern: the product's defaults (health checks with ALB's defaults, outlier_detection on
# with 5 consecutive failures, retries); tern-hc adds faster active checks. The admin
# listener only serves the target health snapshot taken at the end of each run.
write_failover_tern_config() { # FILE PORT ADMIN_PORT HEALTH_CHECK_LINE
  cat >"$1" <<EOF
workers: 1
admin: { bind: 127.0.0.1:$3 }
listeners:
  - name: bench
    bind: 127.0.0.1:$2
    default_action: { forward: { target_group: app } }
target_groups:
  - name: app
$4    targets: $(targets_yaml)
EOF
}

tern_hc_line="    health_check: { interval: 5s, timeout: 2s, healthy_threshold: 2, unhealthy_threshold: 2 }
"

# nginx: passive health only. max_fails=1 fail_timeout=10s (also nginx's defaults, written
# out); proxy_next_upstream error timeout (the default, written out): a request whose
# connect fails, or whose connection errs before the response head, goes to the next server.
write_failover_nginx_config() { # FILE PORT
  local t="$work/nginx-temp" p servers=""
  mkdir -p "$t"
  for p in "${backend_ports[@]}"; do
    servers="$servers    server 127.0.0.1:$p max_fails=1 fail_timeout=10s;
"
  done
  cat >"$1" <<EOF
worker_processes 1;
worker_rlimit_nofile $nofile;
pid $work/nginx.pid;
error_log $work/$run_tag.error.log warn;
events {
  worker_connections $nofile;
  use epoll;
}
http {
  access_log off;
  client_body_temp_path $t/body;
  proxy_temp_path $t/proxy;
  fastcgi_temp_path $t/fastcgi;
  uwsgi_temp_path $t/uwsgi;
  scgi_temp_path $t/scgi;
  keepalive_requests 1000000000;
  keepalive_timeout 60s;
  upstream app {
$servers    keepalive 1024;
    keepalive_requests 1000000000;
    keepalive_timeout 60s;
  }
  server {
    listen 127.0.0.1:$2 backlog=4096;
    location / {
      proxy_pass http://app;
      proxy_next_upstream error timeout;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-Port \$server_port;
      proxy_set_header X-Amzn-Trace-Id "Root=1-\$request_id";
    }
  }
}
EOF
}

# HAProxy: active TCP checks every 2 s (down after 2 failures, up after 2 successes),
# round robin, 3 retries with redispatch to another server on the last one. `retry-on`
# is left at its default (conn-failure). Server state changes reach stderr (-db).
write_failover_haproxy_config() { # FILE PORT
  local i servers=""
  for i in "${!backend_ports[@]}"; do
    servers="$servers  server s$((i + 1)) 127.0.0.1:${backend_ports[i]} check inter 2s fall 2 rise 2
"
  done
  cat >"$1" <<EOF
global
  nbthread 1
  maxconn 4096
defaults
  mode http
  maxconn 4096
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  timeout http-keep-alive 60s
  option http-keep-alive
  http-reuse always
frontend bench
  bind 127.0.0.1:$2
  option forwardfor
  http-request set-header X-Forwarded-Proto http
  http-request set-header X-Forwarded-Port %[dst_port]
  unique-id-format Root=1-%[date,hex]-%[rand,hex]%[rand,hex]
  unique-id-header X-Amzn-Trace-Id
  default_backend app
backend app
  balance roundrobin
  option redispatch
  retries 3
$servers
EOF
}

write_proxy_config() { # NAME
  local conf="$work/$run_tag.conf"
  case $1 in
    tern) write_failover_tern_config "$conf" "${port_of[$1]}" "${admin_port_of[$1]}" "" ;;
    tern-hc)
      write_failover_tern_config "$conf" "${port_of[$1]}" "${admin_port_of[$1]}" "$tern_hc_line"
      ;;
    nginx) write_failover_nginx_config "$conf" "${port_of[$1]}" ;;
    haproxy) write_failover_haproxy_config "$conf" "${port_of[$1]}" ;;
  esac
}

set_proxy_argv() { # NAME MODE
  local conf="$work/$run_tag.conf"
  case $1 in
    tern | tern-hc) proxy_argv=("$tern_bin" --config "$conf") ;;
    nginx) proxy_argv=(nginx -p "$work/" -e "$work/$run_tag.error.log" -c "$conf" -g "daemon off;") ;;
    haproxy) proxy_argv=(haproxy -db -f "$conf") ;;
  esac
}

# The admin listing of tern's target group, one line per target: "PORT STATE REASON".
tern_target_health() { # NAME
  curl -s -m 2 "http://127.0.0.1:${admin_port_of[$1]}/v1/target-groups" |
    /usr/bin/python3 -c '
import json, sys
try:
    doc = json.load(sys.stdin)
except ValueError:
    sys.exit(0)
for g in doc.get("TargetGroups", []):
    for d in g.get("TargetHealthDescriptions", []):
        h = d.get("TargetHealth", {})
        print(d["Target"]["Port"], h.get("State", "?"), h.get("Reason", "-"), "fail_open=%s" % g.get("FailOpen"))
'
}

# Waits (at most SECONDS) until every target of tern's group is healthy.
wait_tern_healthy() { # NAME SECONDS
  local deadline=$((SECONDS + $2)) health
  while [ $SECONDS -lt $deadline ]; do
    health=$(tern_target_health "$1")
    if [ -n "$health" ] && ! grep -qv ' healthy ' <<<"$health"; then return 0; fi
    sleep 0.2
  done
  return 1
}

now_ms() { date +%s%3N; }

# One run: a fresh proxy NAME, wrk for $duration s, backend $kill_index killed with
# SIGKILL $kill_at s after wrk started; then the proxy is stopped and the backend
# restarted. Appends one line to $work/runs.tsv.
failover_run() { # NAME ROUND
  local name=$1 round=$2
  run_tag="$name.r$round"
  local out="$work/raw/wrk-$run_tag.txt" status=ok
  read -r -a _ports <<<"$(free_ports 2)"
  [ ${#_ports[@]} -eq 2 ] || { echo "bench: no free ports" >&2; exit 1; }
  port_of[$name]=${_ports[0]}
  admin_port_of[$name]=${_ports[1]}
  write_proxy_config "$name"
  if ! start_proxy "$name" "r$round" taskset -c 0; then
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$round" 0 0 start-failed "$run_tag" \
      >>"$work/runs.tsv"
    stop_proxy "$name"
    return
  fi
  local t0 waited=0
  if [ "$name" = tern-hc ]; then
    t0=$(now_ms)
    wait_tern_healthy "$name" 20 || status=not-healthy-before-load
    waited=$(($(now_ms) - t0))
  fi
  local start_ms kill_ms rc=0
  start_ms=$(now_ms)
  taskset -c 1 wrk -t1 -c"$conns" -d"${duration}s" "http://127.0.0.1:${port_of[$name]}/" \
    >"$out" 2>&1 &
  wrk_pid=$!
  sleep "$kill_at"
  kill_ms=$(now_ms)
  echo "$(date -u +%H:%M:%S.%3N) SIGKILL backend $((kill_index + 1)) (127.0.0.1:${backend_ports[kill_index]})" \
    >"$work/raw/kill-$run_tag.txt"
  stop_backend "$kill_index"
  wait "$wrk_pid" || rc=$?
  wrk_pid=""
  [ "$rc" -eq 0 ] || status="wrk-exit-$rc"
  case $name in
    tern | tern-hc) tern_target_health "$name" >"$work/raw/health-$run_tag.txt" || true ;;
  esac
  if ! alive "${top_of[$name]}"; then status=proxy-died; fi
  stop_proxy "$name"
  start_backend "$kill_index"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$round" $((kill_ms - start_ms)) "$waited" "$status" \
    "$run_tag" >>"$work/runs.tsv"
}
