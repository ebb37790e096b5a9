// Membership without rebuilding rules: applies registrations and deregistrations (the
// admin API now, ECS next) to the TargetRegistry, publishes each changed group's member
// list to every worker and waits until each has it (spec/config.md, "When it takes
// effect": the 200 is sent only after that), runs the drains (idle pooled connections
// closed at once, the rest after deregistration_delay; with 0, the target leaves once no
// request is in flight), persists the API's registrations, and answers the listing with
// draining targets included.
//
// Waiting for the workers blocks the control thread for as long as it takes every worker
// to run one posted handler (microseconds, at most a few milliseconds under load; workers
// never wait on the control thread, so it cannot deadlock). That keeps the admin API
// synchronous; a worker that does not answer within kApplyTimeout makes the call fail
// with 503 rather than claim what is not true.
//
// Thread affinity: the control thread only. Ownership: owned by the Server; refers to the
// Server's registry, workers and health monitor, which outlive it.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lb/admin/target_health_view.hpp"
#include "lb/app/health_monitor.hpp"
#include "lb/app/snapshot_builder.hpp"
#include "lb/app/worker.hpp"

namespace tern::app {

class Membership {
 public:
  static constexpr std::chrono::milliseconds kApplyTimeout{5000};
  // How often workers are asked whether a delay-0 draining target is idle yet.
  static constexpr std::chrono::milliseconds kIdlePoll{100};

  Membership(boost::asio::io_context& io, Registry& registry,
             std::vector<std::unique_ptr<Worker>>& workers, HealthMonitor& health);
  ~Membership();
  Membership(const Membership&) = delete;
  Membership& operator=(const Membership&) = delete;

  // The snapshot the workers now have (after start-up and every reload), with the
  // membership events its build produced: logged, drains started.
  void configured(std::shared_ptr<const proxy::Snapshot> snapshot,
                  const std::vector<discovery::Event>& events);

  // Where API registrations are persisted ("" = memory only); a new path (also the first)
  // is written at once.
  void set_state_file(std::string path);

  struct Result {
    int status = 200;
    std::string error;  // when status is not 200
  };
  // Registers / deregisters targets of `group` through `source` (the admin API), whole or
  // nothing; returns once every worker applied it.
  Result add(const std::string& group, const std::vector<boost::asio::ip::tcp::endpoint>& targets,
             discovery::Source source);
  Result remove(const std::string& group,
                const std::vector<boost::asio::ip::tcp::endpoint>& targets,
                discovery::Source source);

  // Every group's listing, draining targets included; one group's (nullopt: unknown).
  std::vector<admin::TargetGroupView> view() const;
  std::optional<admin::TargetGroupView> view(std::string_view group) const;

  // Shutdown: calls fail with 503 from now on, timers stop.
  void stop();

 private:
  using Outcome = discovery::Outcome;

  // Applies `apply` to the registry, persists, logs, publishes; on a refusal or a failed
  // write nothing changed.
  Result change(const std::string& group,
                const std::function<Outcome(discovery::TargetRegistry&)>& apply);
  // Posts `group`'s latest member list to every worker; false when one did not confirm.
  bool publish(const std::string& group, const std::vector<discovery::Event>& events);
  std::shared_ptr<upstream::TargetGroup> find_group(std::string_view name) const;
  void log_events(const std::vector<discovery::Event>& events) const;
  // Target::draining follows the events (pooled connections of draining targets close).
  static void mark_draining(const std::vector<discovery::Event>& events);
  // Persists the API's registrations; the error, or "".
  std::string persist() const;
  void arm_drain_timer();
  void on_drain_timer();
  void poll_idle();

  boost::asio::io_context& io_;
  Registry& registry_;
  std::vector<std::unique_ptr<Worker>>& workers_;
  HealthMonitor& health_;
  std::shared_ptr<const proxy::Snapshot> snapshot_;
  std::string state_file_;
  boost::asio::steady_timer drain_timer_;
  bool polling_ = false;  // a count_busy round is out
  bool first_ = true;     // the start-up configuration is not logged target by target
  bool stopped_ = false;
};

}  // namespace tern::app
