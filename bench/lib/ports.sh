# Sourced by bench/run.sh and bench/failover.sh.

# N distinct free ports below the ephemeral range (32768+ here), so that no outgoing
# connection can take a proxy's port between this check and the bind.
# Called as "$(free_ports N)", where a failure cannot stop the caller: callers check
# that they got N ports.
free_ports() { # N
  if ! [ -x /usr/bin/python3 ]; then
    echo "bench: /usr/bin/python3 is missing (scripts/deps.sh installs it)" >&2
    return 1
  fi
  /usr/bin/python3 - "$1" <<'EOF'
import random, socket, sys
ports = []
while len(ports) < int(sys.argv[1]):
    p = random.randrange(20000, 32000)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
        if p not in ports:
            ports.append(p)
    except OSError:
        pass
    finally:
        s.close()
print(" ".join(map(str, ports)))
EOF
}
