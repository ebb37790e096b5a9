// Tunables of the admin server: limits that keep a stuck or hostile client from holding a
// connection or memory forever. The defaults suit the admin API (small requests, few
// clients: health checkers, scrapers, operators, the ECS event feed).
//
// Thread affinity: none (plain data). Ownership: by value, copied into the server.
#pragma once

#include <chrono>
#include <cstddef>

#include "lb/admin/session.hpp"

namespace tern::admin {

struct AdminOptions {
  // A keep-alive connection with no request in progress is closed after this.
  std::chrono::milliseconds idle_timeout{60000};
  // A request (head and body) must arrive within this from its first byte, else 408.
  std::chrono::milliseconds request_timeout{10000};
  // A client that does not read its response is dropped after this.
  std::chrono::milliseconds write_timeout{10000};
  // Open admin connections; at the cap an idle keep-alive connection is closed to make
  // room, and when none is idle the newcomer gets 503 and is closed.
  size_t max_connections = 64;
  SessionLimits limits;
};

}  // namespace tern::admin
