// One connection from a worker to a target, with its own read buffer and response
// parser. Lives in a worker's ConnectionPool while idle, and with one stream while busy.
//
// Thread affinity: the worker whose io_context the socket belongs to. Ownership: shared
// (the pool's idle list and the idle-close watcher hold it), never crosses workers.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include "lb/http/parser.hpp"
#include "lb/net/buffer.hpp"
#include "lb/net/executor.hpp"
#include "lb/upstream/target.hpp"

namespace tern::upstream {

struct UpstreamConnection {
  explicit UpstreamConnection(net::TcpSocket s, std::shared_ptr<Target> t)
      : socket(std::move(s)), target(std::move(t)), parser(http::Parser::Kind::kResponse) {}

  net::TcpSocket socket;
  std::shared_ptr<Target> target;
  net::Buffer in;
  http::Parser parser;
  std::chrono::steady_clock::time_point idle_since{};
  uint64_t watch_generation = 0;  // invalidates the watcher of an earlier idle period
  uint64_t requests = 0;          // streams served; > 0 means "reused"
  bool idle = false;
  bool watched = false;  // a readiness wait is armed (ConnectionPool)
};

}  // namespace tern::upstream
