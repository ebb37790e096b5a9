#include "lb/upstream/connection_pool.hpp"

#include <algorithm>

namespace tern::upstream {

namespace asio = boost::asio;

namespace {
// How long a pooled connection may sit idle before its readiness wait is armed. A target
// that closes a connection sooner is caught by the exchange instead (a replayable request
// is retried on a fresh connection).
constexpr std::chrono::milliseconds kWatchDelay{200};
}  // namespace

ConnectionPool::ConnectionPool(asio::io_context& io, PoolSettings settings)
    : io_(io), settings_(settings), sweep_timer_(io) {}

ConnectionPool::~ConnectionPool() {
  close_all();
}

std::shared_ptr<UpstreamConnection> ConnectionPool::take(const Target* target) {
  auto it = idle_.find(target);
  if (it == idle_.end() || it->second.empty()) return nullptr;
  std::shared_ptr<UpstreamConnection> conn = std::move(it->second.back());
  it->second.pop_back();
  conn->idle = false;
  ++conn->watch_generation;
  if (conn->watched) {
    // Completes the armed readiness wait with operation_aborted; its handler sees the
    // generation changed and leaves the connection alone.
    conn->watched = false;
    boost::system::error_code ignored;
    conn->socket.cancel(ignored);
  }
  return conn;
}

void ConnectionPool::put(std::shared_ptr<UpstreamConnection> conn) {
  if (closed_ || !conn->socket.is_open()) return;
  List& list = idle_[conn->target.get()];
  if (list.size() >= settings_.max_idle_per_target) {
    // Over the cap: the oldest idle connection makes room (LIFO keeps the warm ones).
    boost::system::error_code ignored;
    list.front()->socket.close(ignored);
    list.erase(list.begin());
  }
  conn->idle = true;
  conn->idle_since = std::chrono::steady_clock::now();
  conn->in.clear();
  conn->in.release();
  list.push_back(conn);
  // Not watched yet: under load a connection is taken again within microseconds, and
  // arming a readiness wait costs a system call (epoll_ctl) per request. The sweep arms
  // the watch for connections still idle at its next tick (kWatchDelay at most).
  conn->watched = false;
  arm_sweep();
}

void ConnectionPool::watch(const std::shared_ptr<UpstreamConnection>& conn) {
  uint64_t generation = ++conn->watch_generation;
  conn->watched = true;
  conn->socket.async_wait(asio::ip::tcp::socket::wait_read,
                          [this, conn, generation](const boost::system::error_code& ec) {
                            if (ec == asio::error::operation_aborted) return;
                            if (conn->watch_generation != generation || !conn->idle) return;
                            // Readable while idle: the target closed it or sent something
                            // unasked. Either way it cannot carry a request any more.
                            evict(conn);
                          });
}

void ConnectionPool::evict(const std::shared_ptr<UpstreamConnection>& conn) {
  auto it = idle_.find(conn->target.get());
  if (it != idle_.end()) {
    auto& list = it->second;
    list.erase(std::remove(list.begin(), list.end(), conn), list.end());
    if (list.empty()) idle_.erase(it);
  }
  conn->idle = false;
  boost::system::error_code ignored;
  conn->socket.close(ignored);
}

void ConnectionPool::arm_sweep() {
  if (sweep_armed_ || closed_) return;
  sweep_armed_ = true;
  sweep_timer_.expires_after(kWatchDelay);
  sweep_timer_.async_wait([this](const boost::system::error_code& ec) {
    sweep_armed_ = false;
    if (ec || closed_) return;
    sweep();
  });
}

void ConnectionPool::sweep() {
  auto deadline = std::chrono::steady_clock::now() - settings_.idle_timeout;
  for (auto it = idle_.begin(); it != idle_.end();) {
    auto& list = it->second;
    // Oldest first: the list is in put() order.
    size_t expired = 0;
    while (expired < list.size() && list[expired]->idle_since <= deadline) ++expired;
    for (size_t i = 0; i < expired; ++i) {
      list[i]->idle = false;
      boost::system::error_code ignored;
      list[i]->socket.close(ignored);
    }
    list.erase(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(expired));
    for (auto& conn : list) {
      if (!conn->watched) watch(conn);
    }
    it = list.empty() ? idle_.erase(it) : std::next(it);
  }
  if (!idle_.empty()) arm_sweep();
}

void ConnectionPool::close_all() {
  closed_ = true;
  for (auto& [target, list] : idle_) {
    for (auto& conn : list) {
      conn->idle = false;
      boost::system::error_code ignored;
      conn->socket.close(ignored);
    }
  }
  idle_.clear();
  boost::system::error_code ignored;
  sweep_timer_.cancel();
  (void)ignored;
  (void)io_;
}

void ConnectionPool::close_target(const Target* target) {
  auto it = idle_.find(target);
  if (it == idle_.end()) return;
  for (auto& conn : it->second) {
    conn->idle = false;
    boost::system::error_code ignored;
    conn->socket.close(ignored);
  }
  idle_.erase(it);
}

size_t ConnectionPool::idle_count() const {
  size_t n = 0;
  for (const auto& [target, list] : idle_) n += list.size();
  return n;
}

}  // namespace tern::upstream
