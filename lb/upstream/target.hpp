// A target: one backend address:port of a target group.
//
// Thread affinity: created by the control thread; immutable afterwards except for the
// health word (written by the control thread, read by workers when they pick). Ownership:
// shared (snapshots and worker pools hold shared_ptr); reused across snapshots by
// identity (group name + address), so health and pooled connections survive reloads.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <string>

namespace tern::upstream {

struct Target {
  std::string id;  // "10.0.1.17:8000" ([v6]:port for IPv6), as shown to users
  boost::asio::ip::tcp::endpoint endpoint;
};

}  // namespace tern::upstream
