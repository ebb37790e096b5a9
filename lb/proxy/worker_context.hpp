// Everything a worker's connections share: the worker's event loop, its current snapshot,
// upstream pool, date cache, trace-id generator, live-connection registry and counters.
// Passed by reference (no globals).
//
// Thread affinity: one worker thread; the control thread only reaches it by posting to
// `io`. Ownership: owned by the worker (app/), outlives every connection it serves.
#pragma once

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/intrusive/list.hpp>
#include <cstdint>
#include <memory>

#include "lb/core/date_cache.hpp"
#include "lb/core/finish_reason.hpp"
#include "lb/http/trace_id.hpp"
#include "lb/net/buffer_pool.hpp"
#include "lb/net/deadline_queue.hpp"
#include "lb/proxy/request_routing.hpp"
#include "lb/proxy/snapshot.hpp"
#include "lb/proxy/stream_state.hpp"
#include "lb/upstream/connection_pool.hpp"
#include "lb/upstream/sticky_key.hpp"

namespace tern::proxy {

class DownstreamConnection;

// The live connections of a worker, linked through the connections themselves (no node
// allocation per connection).
using ConnectionHook =
    boost::intrusive::list_base_hook<boost::intrusive::link_mode<boost::intrusive::normal_link>>;
using ConnectionList =
    boost::intrusive::list<DownstreamConnection, boost::intrusive::base_hook<ConnectionHook>,
                           boost::intrusive::constant_time_size<false>>;

// Counters written only by this worker.
struct WorkerStats {
  std::array<uint64_t, 32> finished{};  // by FinishReason
  uint64_t accepted = 0;
  uint64_t upstream_connects = 0;
  uint64_t upstream_reuses = 0;
  uint64_t retries = 0;          // requests sent to another target after a failure
  uint64_t retries_refused = 0;  // retries the group's retry budget did not allow

  void count(core::FinishReason r) { ++finished[static_cast<size_t>(r)]; }
};

struct WorkerContext {
  WorkerContext(int worker_id, boost::asio::io_context& io_context)
      : deadlines(io_context),
        id(worker_id),
        io(io_context),
        trace((0x5eed0000ULL + static_cast<uint64_t>(worker_id) * 0x9e3779b97f4a7c15ULL) ^
              static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count())),
        pool(io_context, upstream::PoolSettings{}) {}

  // Timeouts of the connections, and the buffer pool's trim ticks; one timer. Declared
  // first: the pool removes its entry when destroyed.
  net::DeadlineQueue deadlines;
  // Declared before everything that holds Buffers, so it is destroyed after them.
  net::BufferPool buffers{&deadlines};
  StreamStatePool streams{buffers};  // after buffers: its states hold Buffers

  int id;
  boost::asio::io_context& io;
  std::shared_ptr<const Snapshot> snapshot;
  core::DateCache date;
  http::TraceIdGenerator trace;
  upstream::ConnectionPool pool;
  upstream::BusyList busy;  // upstream connections streams are using (draining)
  // HMAC key of the stickiness cookies: written by the control thread before the worker
  // thread starts (thread creation orders it before every read), never changed after.
  upstream::StickyKey sticky_key{};
  ConnectionList connections;  // live, for draining on shutdown
  bool draining = false;
  WorkerStats stats;
  // Passive health: called (rarely: once per `eject_after` failures in a row of a target)
  // with the failing target and its group's name; posts to the control thread. Unset in
  // unit tests.
  std::function<void(const std::shared_ptr<upstream::Target>&, const std::string&)>
      on_target_failing;
  // Read target for connections that hold no buffer of their own (idle keep-alive); the
  // bytes are copied out before the next suspension, so one per worker is enough.
  std::array<char, 16 * 1024> scratch;
  // The request being routed and its local reply, read synchronously after routing.
  RoutingScratch routing;
};

}  // namespace tern::proxy
