# Sourced by bench/run.sh and bench/failover.sh.

# N distinct free ports below the ephemeral range (32768+ here), so that no outgoing
# connection can take a proxy's port between this check and the bind.
free_ports() { # N
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
