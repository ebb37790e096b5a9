// Idle keep-alive connections to targets, per worker (nginx's upstream keepalive cache):
// the most recently used connection is handed out first; a connection idle for more than
// a short delay (200 ms) keeps a read-readiness wait armed, so a target that closes it (or
// sends anything unasked) has it evicted before it can poison a request — the delay spares
// busy connections a system call per request; idle connections expire after idle_timeout
// and at most max_idle_per_target are kept.
//
// Thread affinity: one worker. Ownership: owned by the worker context; holds shared_ptrs
// to idle connections (and through them to their targets, so a target removed by a reload
// lives until its idle connections are gone).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <unordered_map>
#include <vector>

#include "lb/upstream/upstream_connection.hpp"

namespace tern::upstream {

struct PoolSettings {
  size_t max_idle_per_target = 1024;
  std::chrono::milliseconds idle_timeout = std::chrono::seconds(30);
};

class ConnectionPool {
 public:
  ConnectionPool(boost::asio::io_context& io, PoolSettings settings);
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // An idle connection to `target`, or nullptr when there is none.
  std::shared_ptr<UpstreamConnection> take(const Target* target);

  // Returns a connection whose last exchange completed cleanly and that may be reused.
  void put(std::shared_ptr<UpstreamConnection> conn);

  // Closes every idle connection (shutdown).
  void close_all();

  // Closes the idle connections to `target` (it is draining or gone).
  void close_target(const Target* target);

  size_t idle_count() const;

 private:
  using List = std::vector<std::shared_ptr<UpstreamConnection>>;

  void watch(const std::shared_ptr<UpstreamConnection>& conn);
  void evict(const std::shared_ptr<UpstreamConnection>& conn);
  void arm_sweep();
  void sweep();

  boost::asio::io_context& io_;
  PoolSettings settings_;
  std::unordered_map<const Target*, List> idle_;
  boost::asio::steady_timer sweep_timer_;
  bool sweep_armed_ = false;
  bool closed_ = false;
};

}  // namespace tern::upstream
