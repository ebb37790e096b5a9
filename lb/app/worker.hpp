// A worker: one thread with its own io_context, its own SO_REUSEPORT acceptor per
// listener, and its WorkerContext (snapshot, upstream pool, counters). A connection never
// leaves the worker that accepted it.
//
// Thread affinity: constructed and driven by the control thread, which only posts to it;
// everything inside runs on the worker thread. Ownership: owned by the Server.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "lb/net/executor.hpp"
#include "lb/proxy/downstream_connection.hpp"
#include "lb/proxy/worker_context.hpp"

namespace tern::app {

// A listening socket handed to one worker.
struct NewListener {
  std::string bind_key;
  int fd = -1;
  bool ipv6 = false;
};

class Worker {
 public:
  explicit Worker(int id);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Before start(): how the worker reports a failing target (it posts to the control
  // thread; see WorkerContext::on_target_failing).
  void set_failure_report(
      std::function<void(const std::shared_ptr<upstream::Target>&, const std::string&)> report) {
    ctx_.on_target_failing = std::move(report);
  }

  // Before start(): the key of the stickiness cookies, for the life of the worker.
  void set_sticky_key(const upstream::StickyKey& key) { ctx_.sticky_key = key; }

  void start();
  void join();

  // Posted from the control thread: install a snapshot, start accepting on new listeners,
  // stop accepting on removed ones (their connections finish and close). `applied` runs
  // on the worker thread once the snapshot is in place.
  void apply(std::shared_ptr<const proxy::Snapshot> snapshot, std::vector<NewListener> added,
             std::vector<std::string> removed, std::function<void()> applied);

  // Posted from the control thread: `group` picks from `members` from now on, and the
  // idle pooled connections to `close_idle` (targets that started draining) close.
  // `applied` runs on the worker thread once that is done.
  void update_members(std::shared_ptr<upstream::TargetGroup> group, upstream::MembersPtr members,
                      std::vector<std::shared_ptr<upstream::Target>> close_idle,
                      std::function<void()> applied);

  // Posted from the control thread: closes the idle pooled connections to `targets` and,
  // with `in_use`, the connections streams are using too (their deregistration delay
  // passed: requests still open get a 502).
  void close_connections(std::vector<std::shared_ptr<upstream::Target>> targets, bool in_use);

  // Posted from the control thread: `report` gets, on the worker thread, the number of
  // requests in flight to each of `targets` (in that order).
  void count_busy(std::vector<std::shared_ptr<upstream::Target>> targets,
                  std::function<void(std::vector<size_t>)> report);

  // Posted from the control thread: stop accepting, close idle connections, let busy ones
  // finish with Connection: close, then leave the event loop.
  void drain();

  // shutdown_timeout passed: closes every connection now; the loop then runs out of work.
  void stop();

 private:
  using Acceptor = boost::asio::ip::tcp::acceptor;

  boost::asio::awaitable<void> accept_loop(std::shared_ptr<Acceptor> acceptor, std::string key);
  boost::asio::awaitable<void> wait_for_drain();
  void on_accepted(net::TcpSocket socket, const std::string& key);
  // Stops accepting, applies `how` (drain or abort) to every connection, closes the pool.
  void stop_serving(void (proxy::DownstreamConnection::*how)());

  int id_;
  // One thread runs it; other threads only post to it. UNSAFE_IO drops the per-socket
  // reactor lock (every socket of this context is only touched by the worker thread;
  // keep it that way) and keeps the scheduler's, which posting from the control thread
  // needs. Measured: ~500 instructions per request of uncontended mutex calls.
  boost::asio::io_context io_{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  proxy::WorkerContext ctx_;
  std::map<std::string, std::shared_ptr<Acceptor>> acceptors_;
  std::thread thread_;
};

}  // namespace tern::app
