// Target health on the control thread: runs the health checks (health::Checker), the
// passive ejections reported by workers (health::OutlierTracker per group), and publishes
// the outcome as the routable bits of each target group of the current snapshot — the
// only thing workers read when they pick. Decides fail-open (no target routable: every
// registered one is used, as ALB does), starts slow start when a target registered after
// start-up turns healthy, and answers the admin listing.
//
// Thread affinity: the control thread only (its io_context runs the checker and the
// un-ejection timer; workers reach on_failing() by posting). Ownership: owned by the
// Server; holds the current snapshot's target groups (shared).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/config.hpp"
#include "health/checker.hpp"
#include "health/outlier.hpp"
#include "lb/admin/target_health_view.hpp"
#include "lb/proxy/snapshot.hpp"

namespace tern::app {

class HealthMonitor {
 public:
  explicit HealthMonitor(boost::asio::io_context& io);
  ~HealthMonitor();
  HealthMonitor(const HealthMonitor&) = delete;
  HealthMonitor& operator=(const HealthMonitor&) = delete;

  // Takes over the target groups of `snapshot` (built from `cfg`) before it is posted to
  // the workers: their routable bits from the health known so far, the checks to run,
  // the ejection policies. Health and ejections of targets that remain are kept.
  // `startup`: the first configuration (its targets never slow-start).
  void apply(const config::Config& cfg, const proxy::Snapshot& snapshot, bool startup);

  // The member list of `group` changed without a reload (registration, deregistration):
  // its latest version (TargetGroup::targets()) is checked from now on, its routable bits
  // are set before the caller posts it to the workers. `fresh` are new targets (slow
  // start, as for a reload's new targets); targets that left stop being probed.
  void members_changed(const std::string& group, const std::vector<upstream::Target*>& fresh);

  // A worker saw `outlier_detection.consecutive_failures` failures in a row of `target`.
  void on_failing(const std::shared_ptr<upstream::Target>& target, const std::string& group);

  // Every group of the current snapshot with its targets' health (admin API).
  std::vector<admin::TargetGroupView> view() const;
  // One group's (nullopt: unknown).
  std::optional<admin::TargetGroupView> view(std::string_view group) const;

  void stop();

 private:
  struct Group {
    std::shared_ptr<upstream::TargetGroup> group;
    config::HealthCheck check;
    health::OutlierTracker outliers;
    std::string algorithm;
    bool fail_open = false;
    bool warned = false;                            // "failing open" was logged
    std::vector<std::string> keys;                  // target_key of targets()[i]
    std::unordered_map<std::string, size_t> index;  // key -> position in targets()
  };

  // Hands every group's latest targets to the checker (keeps the health of those that
  // remain).
  void update_checker();
  admin::TargetGroupView view_of(const std::string& name, const Group& g) const;
  void on_health(const std::string& key, const health::TargetHealth& health, bool became_healthy);
  health::State state_of(const std::string& key) const;
  void refresh(Group& g);
  // One target's health changed: its bit alone, unless fail-open may change (then all).
  void refresh_one(Group& g, const std::string& key);
  static void index_targets(const std::string& name, Group& g);
  void start_ramp(Group& g, upstream::Target& target);
  void arm_uneject();
  void uneject();

  boost::asio::io_context& io_;
  std::map<std::string, Group, std::less<>> groups_;  // by name, the current snapshot's
  std::vector<std::string> order_;                    // group names in config order
  std::set<std::string> ramp_when_healthy_;           // keys registered after start-up
  health::Checker checker_;
  boost::asio::steady_timer uneject_timer_;
  bool stopped_ = false;
  // Inside a Checker::update() of ours: health events do not refresh their group (the
  // caller refreshes each group once afterwards, not once per new target).
  bool batching_ = false;
};

// "group|id": a target's identity across reloads (as in the snapshot Registry).
std::string target_key(std::string_view group, const upstream::Target& target);

}  // namespace tern::app
