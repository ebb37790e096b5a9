// One connection from a worker to a target, with its own read buffer and response
// parser. Lives in a worker's ConnectionPool while idle, and with one stream while busy.
//
// While a stream uses it, it is linked into its worker's BusyList, so that draining can
// count a target's requests in flight and close them when the deregistration delay ends.
//
// Thread affinity: the worker whose io_context the socket belongs to. Ownership: shared
// (the pool's idle list and the idle-close watcher hold it), never crosses workers.
#pragma once

#include <boost/intrusive/list.hpp>
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
  // In the worker's BusyList while a stream uses it; unlinks itself when destroyed.
  boost::intrusive::list_member_hook<boost::intrusive::link_mode<boost::intrusive::auto_unlink>>
      busy_hook;
};

// The connections a worker's streams are using (no node allocation: the hook is inside).
using BusyList = boost::intrusive::list<
    UpstreamConnection,
    boost::intrusive::member_hook<UpstreamConnection, decltype(UpstreamConnection::busy_hook),
                                  &UpstreamConnection::busy_hook>,
    boost::intrusive::constant_time_size<false>>;

}  // namespace tern::upstream
