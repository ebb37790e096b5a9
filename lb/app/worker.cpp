#include "lb/app/worker.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

#include "lb/core/log.hpp"
#include "lb/proxy/downstream_connection.hpp"

namespace tern::app {

namespace asio = boost::asio;
using asio::awaitable;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
// Back-off when accept fails for lack of descriptors or memory: keep serving what is
// open, try again shortly (a tight accept loop would spin on the same error).
constexpr std::chrono::milliseconds kAcceptBackoff{100};

bool is_resource_exhaustion(const boost::system::error_code& ec) {
  return ec == asio::error::no_descriptors || ec.value() == ENFILE ||
         ec == asio::error::no_buffer_space || ec == asio::error::no_memory;
}

}  // namespace

Worker::Worker(int id) : id_(id), work_(io_.get_executor()), ctx_(id, io_) {}

Worker::~Worker() {
  join();
}

void Worker::start() {
  thread_ = std::thread([this] {
    for (;;) {
      try {
        io_.run();
        break;
      } catch (const std::exception& e) {
        core::log_error(std::string("worker event loop: ") + e.what());
      }
    }
  });
}

void Worker::join() {
  if (thread_.joinable()) thread_.join();
}

void Worker::apply(std::shared_ptr<const proxy::Snapshot> snapshot, std::vector<NewListener> added,
                   std::vector<std::string> removed, std::function<void()> applied) {
  asio::post(io_, [this, snapshot = std::move(snapshot), added = std::move(added),
                   removed = std::move(removed), applied = std::move(applied)]() mutable {
    ctx_.snapshot = std::move(snapshot);
    for (const auto& key : removed) {
      auto it = acceptors_.find(key);
      if (it == acceptors_.end()) continue;
      boost::system::error_code ignored;
      it->second->close(ignored);
      acceptors_.erase(it);
      // Its idle connections close now; busy ones after their response.
      std::vector<proxy::DownstreamConnection*> live;
      for (auto& c : ctx_.connections) live.push_back(&c);
      for (auto* c : live) {
        if (c->listener_key() == key) c->drain();
      }
    }
    for (auto& l : added) {
      auto acceptor =
          std::make_shared<Acceptor>(io_, l.ipv6 ? asio::ip::tcp::v6() : asio::ip::tcp::v4(), l.fd);
      acceptors_[l.bind_key] = acceptor;
      asio::co_spawn(io_, accept_loop(acceptor, l.bind_key),
                     [](std::exception_ptr e) { core::log_task_failure("accept loop", e); });
    }
    if (applied) applied();
  });
}

void Worker::update_members(std::shared_ptr<upstream::TargetGroup> group,
                            upstream::MembersPtr members,
                            std::vector<std::shared_ptr<upstream::Target>> close_idle,
                            std::function<void()> applied) {
  asio::post(io_, [this, group = std::move(group), members = std::move(members),
                   close_idle = std::move(close_idle), applied = std::move(applied)]() mutable {
    group->install(id_, std::move(members));
    for (const auto& t : close_idle) ctx_.pool.close_target(t.get());
    if (applied) applied();
  });
}

void Worker::close_connections(std::vector<std::shared_ptr<upstream::Target>> targets,
                               bool in_use) {
  asio::post(io_, [this, targets = std::move(targets), in_use] {
    for (const auto& t : targets) ctx_.pool.close_target(t.get());
    if (!in_use) return;
    // Closing fails the stream's pending operation; it unlinks the connection itself.
    std::vector<upstream::UpstreamConnection*> doomed;
    for (auto& conn : ctx_.busy) {
      if (std::find(targets.begin(), targets.end(), conn.target) != targets.end()) {
        doomed.push_back(&conn);
      }
    }
    for (auto* conn : doomed) {
      boost::system::error_code ignored;
      conn->socket.close(ignored);
    }
  });
}

void Worker::count_busy(std::vector<std::shared_ptr<upstream::Target>> targets,
                        std::function<void(std::vector<size_t>)> report) {
  asio::post(io_, [this, targets = std::move(targets), report = std::move(report)] {
    std::vector<size_t> counts(targets.size(), 0);
    for (const auto& conn : ctx_.busy) {
      for (size_t i = 0; i < targets.size(); ++i) {
        if (conn.target == targets[i]) ++counts[i];
      }
    }
    report(std::move(counts));
  });
}

awaitable<void> Worker::accept_loop(std::shared_ptr<Acceptor> acceptor, std::string key) {
  asio::steady_timer backoff(io_);
  auto last_warning = std::chrono::steady_clock::time_point{};
  for (;;) {
    auto [ec, socket] = co_await acceptor->async_accept(io_.get_executor(), kNoThrow);
    if (!acceptor->is_open() || ec == asio::error::operation_aborted) co_return;
    if (!ec) {
      on_accepted(std::move(socket), key);
      continue;
    }
    if (is_resource_exhaustion(ec)) {
      auto now = std::chrono::steady_clock::now();
      if (now - last_warning > std::chrono::seconds(10)) {
        core::log_warn("accept on " + key + ": " + ec.message() + "; backing off");
        last_warning = now;
      }
      backoff.expires_after(kAcceptBackoff);
      co_await backoff.async_wait(kNoThrow);
    }
  }
}

void Worker::on_accepted(net::TcpSocket socket, const std::string& key) {
  const proxy::ListenerRuntime* l = ctx_.snapshot ? ctx_.snapshot->find_listener(key) : nullptr;
  if (l == nullptr || ctx_.draining) return;  // socket closes on scope exit
  uint64_t open = l->state->open_connections.fetch_add(1, std::memory_order_relaxed);
  if (l->max_connections != 0 && open >= l->max_connections) {
    l->state->open_connections.fetch_sub(1, std::memory_order_relaxed);
    l->state->refused_connections.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  ++ctx_.stats.accepted;
  boost::system::error_code ignored;
  socket.set_option(asio::ip::tcp::no_delay(true), ignored);
  auto conn =
      std::make_shared<proxy::DownstreamConnection>(ctx_, std::move(socket), ctx_.snapshot, *l);
  conn->start();
}

void Worker::stop_serving(void (proxy::DownstreamConnection::*how)()) {
  ctx_.draining = true;
  for (auto& [key, acceptor] : acceptors_) {
    boost::system::error_code ignored;
    acceptor->close(ignored);
  }
  acceptors_.clear();
  // Copy: closing may complete an operation and destroy a connection while we iterate.
  std::vector<proxy::DownstreamConnection*> live;
  for (auto& c : ctx_.connections) live.push_back(&c);
  for (auto* c : live) (c->*how)();
  ctx_.pool.close_all();
}

void Worker::drain() {
  asio::post(io_, [this] {
    stop_serving(&proxy::DownstreamConnection::drain);
    asio::co_spawn(io_, wait_for_drain(),
                   [](std::exception_ptr e) { core::log_task_failure("drain", e); });
  });
}

awaitable<void> Worker::wait_for_drain() {
  asio::steady_timer t(io_);
  while (!ctx_.connections.empty()) {
    t.expires_after(std::chrono::milliseconds(20));
    co_await t.async_wait(kNoThrow);
  }
  work_.reset();  // run() returns once the last handler is done
}

void Worker::stop() {
  asio::post(io_, [this] {
    stop_serving(&proxy::DownstreamConnection::abort);
    // With every socket closed, the remaining coroutines finish and run() returns.
    work_.reset();
  });
}

}  // namespace tern::app
