// The server: the control thread's event loop (signals, reload, shutdown) and the
// workers. Opens listening sockets on the control thread so that a bind error rejects a
// reload before anything changes, then posts immutable snapshots and sockets to workers.
//
// Thread affinity: the control thread (the process's main thread). Ownership: owns the
// workers, the registry of reusable targets/listener states and the fleet keys.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "lb/admin/admin_server.hpp"
#include "lb/app/fleet_keys.hpp"
#include "lb/app/health_monitor.hpp"
#include "lb/app/membership.hpp"
#include "lb/app/snapshot_builder.hpp"
#include "lb/app/worker.hpp"

namespace tern::app {

class Server {
 public:
  // `keys` are the process's for good: every worker gets them before it starts.
  Server(std::string config_path, int workers, FleetKeys keys);
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
  // Opens the admin listener `cfg` asks for (a new one when its bind changed); nullptr
  // when it keeps the running one or has none; an error when the bind fails.
  std::unique_ptr<admin::AdminServer> open_admin(const config::Config& cfg,
                                                 std::vector<std::string>& errors, bool& changed);
  // The admin API's hooks into the live state, with `cfg`'s token.
  admin::Handlers admin_handlers(const config::Config& cfg);
  admin::Response targets_call(std::string_view group, std::vector<admin::TargetAddress> targets,
                               bool add);
  void wait_signals();
  void reload();
  void shutdown();
  void finish_shutdown();

  std::string config_path_;
  int worker_count_;
  boost::asio::io_context io_{1};
  boost::asio::signal_set signals_;
  boost::asio::steady_timer shutdown_timer_;
  FleetKeys keys_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::map<std::string, OpenListener> open_;  // by bind key
  Registry registry_;
  HealthMonitor health_{io_};  // after io_: destroyed before it
  Membership membership_{io_, registry_, workers_, health_};
  std::unique_ptr<admin::AdminServer> admin_;
  std::string admin_bind_;  // the running admin listener's bind, as written
  std::map<std::string, std::optional<uint16_t>, std::less<>> group_ports_;  // `port` by group
  std::vector<discovery::StateTarget> restore_;  // the state file's targets, until start-up
  std::chrono::milliseconds shutdown_timeout_{30000};
  bool shutting_down_ = false;
  bool started_ = false;  // the start-up configuration was applied
  int exit_code_ = 0;
};

// Usable cores for `workers: auto`: the CPU affinity mask, capped by a cgroup v2 quota.
int usable_cores();

}  // namespace tern::app
