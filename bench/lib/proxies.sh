# shellcheck shell=bash
# Sourced by bench/run.sh: the three proxies under test, each as its own process with a
# config generated into the run's work directory. Nothing here touches the system nginx
# or HAProxy services, their configs or their ports.
#
# Fairness (issue 3): one worker each, upstream keep-alive reused for every request, no
# logs, and the same request headers added to what the backend sees: X-Forwarded-For,
# X-Forwarded-Proto, X-Forwarded-Port and an X-Amzn-Trace-Id style trace id. Host is
# forwarded as the client sent it. The forwarded heads are captured in forwarded.txt.
#
# `tern-base` (BENCH_TERN_BASELINE_BIN) is a second tern binary with the very same config,
# so that a before/after comparison is one run.
#
# Expects: $work, $backend_port, $nofile, $tern_bin (and $tern_base_bin for tern-base);
# ports in port_of[NAME].

declare -A port_of=() pid_of=() top_of=()

write_tern_config() { # FILE PORT
  cat >"$1" <<EOF
workers: 1
listeners:
  - name: bench
    bind: 127.0.0.1:$2
    default_action: { forward: { target_group: app } }
target_groups:
  - name: app
    targets: [127.0.0.1:$backend_port]
EOF
}

# nginx: `keepalive` idle upstream connections per worker, far above the 256 tested
# connections, so it never reopens one; keepalive_requests raised on both sides because
# the defaults (1000) would close every 1000th connection mid-run and tern does not.
write_nginx_config() { # FILE PORT
  local t="$work/nginx-temp"
  mkdir -p "$t"
  cat >"$1" <<EOF
worker_processes 1;
worker_rlimit_nofile $nofile;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
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
    server 127.0.0.1:$backend_port;
    keepalive 1024;
    keepalive_requests 1000000000;
    keepalive_timeout 60s;
  }
  server {
    listen 127.0.0.1:$2 backlog=4096;
    location / {
      proxy_pass http://app;
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

# HAProxy: maxconn a little above the idle-connection count and at least 4,096 (run.sh says
# why). It reserves two descriptors per connection (maxsock = 2 x maxconn + a few) and,
# since 2.3, refuses to start when the hard RLIMIT_NOFILE is lower; `no strict-limits`
# turns that into a logged alert, because the idle test needs only N + a few hundred
# descriptors (a 20,000 hard limit is common in containers). No `log` line anywhere, so
# nothing is logged.
write_haproxy_config() { # FILE PORT
  cat >"$1" <<EOF
global
  nbthread 1
  maxconn $haproxy_maxconn
  no strict-limits
defaults
  mode http
  maxconn $haproxy_maxconn
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
  server s1 127.0.0.1:$backend_port
EOF
}

# Sets proxy_argv to the command line of proxy NAME; MODE is "run" or "callgrind".
proxy_argv=()
set_proxy_argv() { # NAME MODE
  local conf="$work/$1.conf"
  case $1 in
    tern) proxy_argv=("$tern_bin" --config "$conf") ;;
    tern-base) proxy_argv=("$tern_base_bin" --config "$conf") ;;
    nginx)
      # The master stays in the foreground; under valgrind the whole server is one process.
      local g="daemon off;"
      [ "$2" = callgrind ] && g="daemon off; master_process off;"
      proxy_argv=(nginx -p "$work/" -e "$work/nginx-error.log" -c "$conf" -g "$g")
      ;;
    haproxy) proxy_argv=(haproxy -db -f "$conf") ;;
  esac
}

write_proxy_config() { # NAME
  case $1 in
    tern | tern-base) write_tern_config "$work/$1.conf" "${port_of[$1]}" ;;
    nginx) write_nginx_config "$work/nginx.conf" "${port_of[$1]}" ;;
    haproxy) write_haproxy_config "$work/haproxy.conf" "${port_of[$1]}" ;;
  esac
}

# Starts proxy NAME with PREFIX (an argv prefix such as `taskset -c 0`) and records the
# process started in top_of[NAME] and the pid to measure in pid_of[NAME]: the process
# itself for tern and HAProxy, the single worker for nginx (with master_process off, the
# process itself).
start_proxy() { # NAME MODE PREFIX...
  local name=$1 mode=$2
  shift 2
  set_proxy_argv "$name" "$mode"
  "$@" "${proxy_argv[@]}" >"$work/$name.$mode.out" 2>"$work/$name.$mode.err" &
  local top=$!
  top_of[$name]=$top
  pid_of[$name]=$top
  if ! wait_http "${port_of[$name]}" "$(timeout_for "$mode")" "$top"; then
    echo "bench: $name did not come up; its stderr:" >&2
    tail -n 20 "$work/$name.$mode.err" >&2
    return 1
  fi
  if [ "$name" = nginx ] && [ "$mode" = run ]; then
    local child
    child=$(pgrep -P "$top" | head -n 1)
    [ -n "$child" ] || { echo "bench: nginx worker not found" >&2; return 1; }
    pid_of[$name]=$child
  fi
}

timeout_for() { [ "$1" = callgrind ] && echo 120 || echo 20; }

# Waits until GET / on PORT answers 200, at most SECONDS, while PID lives.
wait_http() { # PORT SECONDS PID
  local deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    kill -0 "$3" 2>/dev/null || return 1
    if curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$1/" 2>/dev/null | grep -q 200; then
      return 0
    fi
    sleep 0.1
  done
  return 1
}

# Stops proxy NAME (SIGTERM to the process started, SIGKILL after 10 s).
stop_proxy() { # NAME
  local top=${top_of[$1]:-}
  [ -n "$top" ] || return 0
  unset "top_of[$1]"
  kill -TERM "$top" 2>/dev/null || return 0
  local deadline=$((SECONDS + 10))
  while kill -0 "$top" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
  kill -KILL "$top" 2>/dev/null || true
  wait "$top" 2>/dev/null || true
}
