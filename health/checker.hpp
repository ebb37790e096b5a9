// The active health checks of every registered target: one probe loop per target on the
// control thread's io_context, each probing once per jittered interval (jitter.hpp) and
// feeding the results into the target's TargetHealth (state.hpp).
//
//  - update() is called at start and on every reload / registration change with the full
//    set of checked targets. A target that remains (same key, same check settings, same
//    traffic endpoint) keeps its health and its schedule. A new target starts initial and
//    is probed soon: within the first tenth of its interval (jitter.hpp, first_delay), as
//    ALB probes a registered target right away. A removed target stops being probed: its
//    timer is cancelled and an in-flight probe is aborted and its result dropped. A
//    target whose check settings (or traffic endpoint) changed keeps its health and
//    counts but restarts its schedule with the new settings (first probe soon again).
//  - enabled: false puts the target in unavailable / Target.HealthCheckDisabled (routable,
//    ALB's rule) and probes nothing; enabling the checks again restarts it at initial.
//  - The publish callback runs on the control thread whenever a target's state, reason or
//    description changes, and once for each new target with its initial state (from
//    inside update(), after the new set is in place). It is where the app writes the
//    target's atomic health word; `became_healthy` starts slow start. It must not call
//    update() or stop() itself (post them instead).
//
// Probed endpoint: the traffic endpoint's address with check.port when set, else the
// traffic port. Draining targets are the app's business: a deregistered target is simply
// no longer passed to update().
//
// Thread affinity: the control thread only (the thread running `io`): construct, update,
// stop, find and destroy there. Ownership: the app owns the Checker; the io_context must
// outlive it. Destroying it stops every probe loop.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "health/state.hpp"

namespace tern::health {

struct CheckedTarget {
  std::string key;  // identity across reloads, e.g. "group|10.0.0.1:8000"
  boost::asio::ip::tcp::endpoint traffic_endpoint;
};

struct CheckedGroup {
  std::string name;
  config::HealthCheck check;
  std::vector<CheckedTarget> targets;
};

class Checker {
 public:
  using Publish =
      std::function<void(const std::string& key, const TargetHealth& health, bool became_healthy)>;
  // Told about an exception that escaped a probe loop (it should not happen: expected
  // failures are values); the app passes its logger. Empty: written to stderr.
  using TaskFailure = std::function<void(std::string_view what, std::exception_ptr error)>;

  Checker(boost::asio::io_context& io, Publish publish, TaskFailure on_task_failure = {});
  ~Checker();
  Checker(const Checker&) = delete;
  Checker& operator=(const Checker&) = delete;

  // The complete set of targets to check. A key listed twice is checked once (the first).
  void update(std::vector<CheckedGroup> groups);
  // Stops every probe loop and forgets every target.
  void stop();

  // The current health of a checked target, for the admin listing; nullptr when unknown.
  // Valid until the next update() or stop().
  const TargetHealth* find(std::string_view key) const;
  size_t size() const { return entries_.size(); }

 private:
  struct Run;
  struct Entry;

  // Applies a remaining target's (possibly new) settings; true when its health changed.
  bool reconfigure(Entry& entry, std::shared_ptr<const config::HealthCheck> check,
                   const boost::asio::ip::tcp::endpoint& traffic_endpoint);
  std::unique_ptr<Entry> make_entry(const CheckedTarget& target,
                                    std::shared_ptr<const config::HealthCheck> check);
  void start(Entry& entry);
  void halt(Entry& entry);
  boost::asio::awaitable<void> probe_loop(Entry* entry, std::shared_ptr<Run> run);

  boost::asio::io_context& io_;
  Publish publish_;
  TaskFailure on_task_failure_;
  std::mt19937_64 random_;
  std::map<std::string, std::unique_ptr<Entry>, std::less<>> entries_;
};

}  // namespace tern::health
