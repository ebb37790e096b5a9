// The server: the control thread's event loop (signals, reload, shutdown) and the
// workers. Opens listening sockets on the control thread so that a bind error rejects a
// reload before anything changes, then posts immutable snapshots and sockets to workers.
//
// Thread affinity: the control thread (the process's main thread). Ownership: owns the
// workers and the registry of reusable targets/listener states.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "lb/app/snapshot_builder.hpp"
#include "lb/app/worker.hpp"

namespace tern::app {

class Server {
 public:
  Server(std::string config_path, int workers);
  ~Server();

  // Applies the start-up config; on failure prints every error and returns false.
  bool start(const config::Config& cfg);

  // Runs the control loop until shutdown; returns the process exit code.
  int run();

 private:
  struct OpenListener {
    uint16_t port = 0;
    bool ipv6 = false;
  };

  bool apply(const config::Config& cfg, std::vector<std::string>& errors,
             std::function<void()> on_applied);
  void wait_signals();
  void reload();
  void shutdown();
  void finish_shutdown();

  std::string config_path_;
  int worker_count_;
  boost::asio::io_context io_{1};
  boost::asio::signal_set signals_;
  boost::asio::steady_timer shutdown_timer_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::map<std::string, OpenListener> open_;  // by bind key
  Registry registry_;
  std::chrono::milliseconds shutdown_timeout_{30000};
  bool shutting_down_ = false;
  int exit_code_ = 0;
};

// Usable cores for `workers: auto`: the CPU affinity mask, capped by a cgroup v2 quota.
int usable_cores();

}  // namespace tern::app
