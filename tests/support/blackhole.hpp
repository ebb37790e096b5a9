// A local target whose connects never complete: a listening socket with backlog 0 whose
// accept queue is kept full and never accepted, so Linux drops every further SYN
// (tcp_conn_request: accept queue full -> drop). A connect to it times out, exactly like
// an unreachable host, without depending on the network of the machine.
//
// Thread affinity: any one thread. Ownership: owns the listening socket and the
// connections that fill its queue.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tests/support/socket_io.hpp"

namespace tern::test {

class BlackholeTarget {
 public:
  BlackholeTarget();
  uint16_t port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  // True when a probe connect really timed out (the queue is full).
  bool ready() const { return ready_; }

 private:
  Fd listen_fd_;
  std::vector<Fd> fillers_;
  uint16_t port_ = 0;
  bool ready_ = false;
};

}  // namespace tern::test
