#include "lb/app/server.hpp"

#include <sched.h>
#include <signal.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "config/loader.hpp"
#include "lb/core/log.hpp"
#include "lb/net/listen_socket.hpp"

namespace tern::app {

namespace asio = boost::asio;

namespace {

constexpr std::chrono::milliseconds kForcedExitGrace{2000};

std::string display_address(const std::string& host, uint16_t port) {
  if (host.empty()) return "*:" + std::to_string(port);
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

}  // namespace

int usable_cores() {
  cpu_set_t set;
  int cores = 0;
  if (sched_getaffinity(0, sizeof set, &set) == 0) cores = CPU_COUNT(&set);
  if (cores <= 0) cores = static_cast<int>(std::thread::hardware_concurrency());
  // cgroup v2 quota ("max 100000" = unlimited, "200000 100000" = 2 cores).
  std::ifstream f("/sys/fs/cgroup/cpu.max");
  std::string quota;
  long period = 0;
  if (f >> quota >> period && quota != "max" && period > 0) {
    long q = std::strtol(quota.c_str(), nullptr, 10);
    int limit = static_cast<int>(std::ceil(static_cast<double>(q) / static_cast<double>(period)));
    if (limit > 0 && limit < cores) cores = limit;
  }
  return cores > 0 ? cores : 1;
}

Server::Server(std::string config_path, int workers, FleetKeys keys)
    : config_path_(std::move(config_path)),
      worker_count_(workers),
      signals_(io_, SIGHUP, SIGTERM, SIGINT),
      shutdown_timer_(io_),
      keys_(std::move(keys)) {
  for (int i = 0; i < worker_count_; ++i) {
    workers_.push_back(std::make_unique<Worker>(i));
    workers_.back()->set_sticky_key(keys_.sticky_cookie);
    workers_.back()->set_failure_report(
        [this](const std::shared_ptr<upstream::Target>& target, const std::string& group) {
          asio::post(io_, [this, target, group] { health_.on_failing(target, group); });
        });
  }
}

Server::~Server() {
  for (auto& w : workers_) w->stop();
  for (auto& w : workers_) w->join();
}

bool Server::start(const config::Config& cfg) {
  std::vector<std::string> errors;
  // Targets registered through the API before a restart (or a crash) come back first: a
  // corrupt file stops the start rather than leave its groups silently empty.
  if (cfg.admin && !cfg.admin->state_file.empty()) {
    discovery::LoadedState state = discovery::load_state_file(cfg.admin->state_file);
    if (!state.error.empty()) {
      core::log_error(state.error);
      return false;
    }
    restore_ = std::move(state.targets);
  }
  std::string ready =
      "ready: " + std::to_string(worker_count_) + " workers, configuration " + config_path_;
  if (!apply(cfg, errors, [ready] { core::log_info(ready); })) {
    for (const auto& e : errors) core::log_error(e);
    return false;
  }
  for (auto& w : workers_) w->start();
  wait_signals();
  return true;
}

bool Server::apply(const config::Config& cfg, std::vector<std::string>& errors,
                   std::function<void()> on_applied) {
  Registry saved = registry_;
  BuildResult built = build_snapshot(cfg, registry_, worker_count_, restore_);
  if (!built.snapshot) {
    errors = std::move(built.errors);
    return false;
  }
  // Open every new listener before changing anything: all or nothing.
  std::map<std::string, net::ListenSockets> opened;
  std::map<std::string, OpenListener> next;
  for (auto& l : built.snapshot->listeners) {
    auto cfg_it =
        std::find_if(cfg.listeners.begin(), cfg.listeners.end(),
                     [&](const config::Listener& c) { return listener_key(c) == l.bind_key; });
    const config::Listener& c = *cfg_it;
    if (auto it = open_.find(l.bind_key); it != open_.end()) {
      l.port = it->second.port;
      next[l.bind_key] = it->second;
      continue;
    }
    net::ListenSockets s = net::open_listen_sockets(c.bind.host, c.bind.port, worker_count_);
    if (!s.error.empty()) {
      errors.push_back(cfg.file + ":" + std::to_string(c.bind.mark.line) + ":" +
                       std::to_string(c.bind.mark.column) + ": cannot listen on " + c.bind.text +
                       ": " + s.error);
      continue;
    }
    l.port = s.port;
    next[l.bind_key] = {s.port, c.bind.host.empty() || c.bind.ipv6};
    opened[l.bind_key] = std::move(s);
  }
  bool admin_changed = false;
  std::unique_ptr<admin::AdminServer> admin = open_admin(cfg, errors, admin_changed);
  if (!errors.empty()) {
    for (auto& [key, s] : opened) net::close_fds(s.fds);
    registry_ = std::move(saved);
    return false;
  }
  group_ports_.clear();
  for (const auto& g : cfg.target_groups) group_ports_[g.name] = g.port;
  if (!admin_changed && admin_) admin_->set_handlers(admin_handlers(cfg));  // a new token
  if (admin_changed) {
    if (admin_) admin_->stop();
    admin_ = std::move(admin);
    admin_bind_ = cfg.admin ? cfg.admin->bind.text : "";
    if (admin_) {
      core::log_info("admin listening on " + display_address(cfg.admin->bind.host, admin_->port()));
    }
  }
  // Health first: the groups' routable bits are set before any worker sees them.
  health_.apply(cfg, *built.snapshot, !started_);
  started_ = true;
  std::vector<std::string> removed;
  for (const auto& [key, l] : open_) {
    if (!next.count(key)) removed.push_back(key);
  }
  std::shared_ptr<const proxy::Snapshot> snapshot = built.snapshot;
  // on_applied runs on the control thread once every worker has the new snapshot, so
  // "reloaded" in the log means every new request is served by it.
  auto pending = std::make_shared<std::atomic<int>>(worker_count_);
  auto acked = [this, pending, on_applied = std::move(on_applied)] {
    if (pending->fetch_sub(1) == 1 && on_applied) asio::post(io_, on_applied);
  };
  for (int w = 0; w < worker_count_; ++w) {
    std::vector<NewListener> added;
    for (auto& [key, s] : opened) added.push_back({key, s.fds[w], next[key].ipv6});
    workers_[w]->apply(snapshot, std::move(added), removed, acked);
  }
  for (const auto& l : snapshot->listeners) {
    const auto& c =
        *std::find_if(cfg.listeners.begin(), cfg.listeners.end(),
                      [&](const config::Listener& x) { return listener_key(x) == l.bind_key; });
    if (opened.count(l.bind_key)) {
      core::log_info("listener \"" + l.name + "\" listening on " +
                     display_address(c.bind.host, l.port));
    }
  }
  for (const auto& key : removed) core::log_info("listener on " + key + " closed");
  membership_.configured(snapshot, built.events);
  membership_.set_state_file(cfg.admin ? cfg.admin->state_file : "");
  for (const auto& w : built.warnings) core::log_warn(w);
  if (!restore_.empty()) {
    core::log_info("restored " + std::to_string(restore_.size() - built.warnings.size()) +
                   " target(s) registered through the API from " + cfg.admin->state_file);
    restore_.clear();
  }
  open_ = std::move(next);
  shutdown_timeout_ = cfg.shutdown_timeout;
  return true;
}

std::unique_ptr<admin::AdminServer> Server::open_admin(const config::Config& cfg,
                                                       std::vector<std::string>& errors,
                                                       bool& changed) {
  const std::string bind = cfg.admin ? cfg.admin->bind.text : "";
  changed = bind != admin_bind_;
  if (!changed || !cfg.admin) return nullptr;
  const config::Address& a = cfg.admin->bind;
  boost::system::error_code ec;
  const asio::ip::address address = a.host.empty() ? asio::ip::address(asio::ip::address_v6::any())
                                                   : asio::ip::make_address(a.host, ec);
  if (ec) {
    errors.push_back(cfg.file + ":" + std::to_string(a.mark.line) + ":" +
                     std::to_string(a.mark.column) + ": admin bind " + a.text +
                     ": not an IP address");
    return nullptr;
  }
  auto server = std::make_unique<admin::AdminServer>(io_, admin_handlers(cfg));
  if (auto err = server->listen(asio::ip::tcp::endpoint(address, a.port))) {
    errors.push_back(cfg.file + ":" + std::to_string(a.mark.line) + ":" +
                     std::to_string(a.mark.column) + ": cannot listen on " + a.text + ": " +
                     err.message());
    return nullptr;
  }
  return server;
}

admin::Handlers Server::admin_handlers(const config::Config& cfg) {
  admin::Handlers h;
  if (cfg.admin) h.token = cfg.admin->token;
  h.target_groups = [this] { return membership_.view(); };
  h.target_group = [this](std::string_view name) { return membership_.view(name); };
  h.group_info = [this](std::string_view name) -> std::optional<admin::Handlers::GroupInfo> {
    auto it = group_ports_.find(name);
    if (it == group_ports_.end()) return std::nullopt;
    return admin::Handlers::GroupInfo{it->second};
  };
  h.register_targets = [this](std::string_view group, std::vector<admin::TargetAddress> t) {
    return targets_call(group, std::move(t), true);
  };
  h.deregister_targets = [this](std::string_view group, std::vector<admin::TargetAddress> t) {
    return targets_call(group, std::move(t), false);
  };
  return h;
}

admin::Response Server::targets_call(std::string_view group,
                                     std::vector<admin::TargetAddress> targets, bool add) {
  std::vector<asio::ip::tcp::endpoint> endpoints;
  endpoints.reserve(targets.size());
  for (const auto& t : targets) endpoints.emplace_back(t.ip, t.port);
  const std::string name(group);
  const Membership::Result r = add ? membership_.add(name, endpoints, discovery::kApi)
                                   : membership_.remove(name, endpoints, discovery::kApi);
  if (r.status != 200) return admin::error_response(r.status, r.error);
  std::optional<admin::TargetGroupView> view = membership_.view(name);
  return admin::json_response(
      200, admin::target_groups_json(view ? std::vector<admin::TargetGroupView>{std::move(*view)}
                                          : std::vector<admin::TargetGroupView>{}));
}

void Server::wait_signals() {
  signals_.async_wait([this](const boost::system::error_code& ec, int signo) {
    if (ec) return;
    if (signo == SIGHUP) {
      reload();
      wait_signals();
    } else {
      shutdown();
    }
  });
}

void Server::reload() {
  if (shutting_down_) return;
  config::LoadResult loaded = config::load_file(config_path_);
  std::vector<std::string> errors;
  if (loaded.config) {
    if (loaded.config->workers != 0 && loaded.config->workers != worker_count_) {
      core::log_warn("workers changed to " + std::to_string(loaded.config->workers) +
                     "; a restart applies it, the reload keeps " + std::to_string(worker_count_));
    }
    if (std::string warning = fleet_key_reload_warning(keys_, *loaded.config); !warning.empty()) {
      core::log_warn(warning);
    }
    std::string done = "reloaded configuration from " + config_path_ + " (generation " +
                       std::to_string(registry_.generation + 1) + ")";
    if (apply(*loaded.config, errors, [done] { core::log_info(done); })) return;
  } else {
    for (const auto& e : loaded.errors) errors.push_back(e.to_string());
  }
  core::log_error("reload rejected: " + std::to_string(errors.size()) +
                  " error(s); still running the previous configuration");
  for (const auto& e : errors) core::log_error(e);
}

void Server::shutdown() {
  if (shutting_down_) return;
  shutting_down_ = true;
  core::log_info("shutting down: draining for up to " + std::to_string(shutdown_timeout_.count()) +
                 " ms");
  health_.stop();  // no more probes; the admin API answers until the end
  membership_.stop();
  for (auto& w : workers_) w->drain();
  // Workers leave their loops when their connections are done; the timer bounds it.
  shutdown_timer_.expires_after(shutdown_timeout_);
  shutdown_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    core::log_warn("shutdown_timeout reached; closing remaining connections");
    for (auto& w : workers_) w->stop();
    // Closing sockets ends every stream promptly; should a worker still not finish, the
    // process must exit anyway (systemd and ECS expect it within the timeout).
    shutdown_timer_.expires_after(kForcedExitGrace);
    shutdown_timer_.async_wait([](const boost::system::error_code& e) {
      if (e) return;
      core::log_error("workers did not stop; exiting");
      std::_Exit(0);
    });
  });
  std::thread([this] {
    for (auto& w : workers_) w->join();
    asio::post(io_, [this] { finish_shutdown(); });
  }).detach();
}

void Server::finish_shutdown() {
  shutdown_timer_.cancel();
  health_.stop();
  if (admin_) admin_->stop();
  signals_.cancel();
  core::log_info("stopped");
  io_.stop();
}

int Server::run() {
  io_.run();
  return exit_code_;
}

}  // namespace tern::app
