// A target: one backend address:port of a target group.
//
// Thread affinity: created by the control thread; the id and endpoint are immutable. The
// atomics are shared: `outstanding` and `consecutive_failures` are written by workers
// (relaxed; they are counts, not synchronisation), `slow_start_begin_ms` by the control
// thread. Whether a target may be picked is not here but in its group's RoutableSet
// (one bit per target, so a pick counts and selects routable targets without touching
// every target). Ownership: shared (snapshots and worker pools hold shared_ptr); reused
// across snapshots by identity (group name + address), so health, counters and pooled
// connections survive reloads.
#pragma once

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <string>

namespace tern::upstream {

struct Target {
  std::string id;  // "10.0.1.17:8000" ([v6]:port for IPv6), as shown to users
  boost::asio::ip::tcp::endpoint endpoint;

  // Steady-clock milliseconds when the target entered slow start; 0 = not ramping.
  std::atomic<int64_t> slow_start_begin_ms{0};
  // Deregistered and draining (control thread writes, relaxed): a connection to it that
  // finishes its request is closed instead of going back to the pool.
  std::atomic<bool> draining{false};

  // Requests in flight to this target over all workers (least outstanding requests).
  alignas(64) std::atomic<int32_t> outstanding{0};
  // Connect failures and resets in a row, over all workers (passive health); a success
  // resets it. Read before written so that healthy traffic never dirties the line.
  std::atomic<uint32_t> consecutive_failures{0};
};

}  // namespace tern::upstream
