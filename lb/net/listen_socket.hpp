// Listening sockets: one SO_REUSEPORT socket per worker for each listener, so the kernel
// spreads new connections over the workers without a shared accept lock.
//
// Thread affinity: opened on the control thread (a bind error must fail a reload before
// anything changes); each fd is then handed to one worker. Ownership: the caller owns the
// returned fds until it wraps them in acceptors (or closes them on failure).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tern::net {

struct ListenSockets {
  std::vector<int> fds;  // one per worker
  uint16_t port = 0;     // actual port (useful when the config said 0)
  std::string error;     // set when opening failed; fds is then empty
};

// Binds `count` sockets to host:port (host empty = all interfaces, IPv6 dual-stack when
// the host is an IPv6 literal or empty). With port 0 the first bind picks a free port and
// the others join it.
ListenSockets open_listen_sockets(const std::string& host, uint16_t port, int count,
                                  int backlog = 4096);

void close_fds(std::vector<int>& fds);

}  // namespace tern::net
