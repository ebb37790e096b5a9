// A target group: a balanced set of targets and how to pick one of them.
//
// - round_robin: one sequence per group shared by all workers (a relaxed fetch_add), so
//   the rotation is fair over the process as a whole, and it counts only routable
//   targets (the k-th routable one), so a down target's turns are spread evenly. While a
//   target ramps up (slow start) the worker uses smooth weighted round robin (nginx's)
//   with the ramped weights instead.
// - least_outstanding_requests: the routable target with the fewest requests in flight
//   over all workers (Target::outstanding, kept by the caller for this algorithm only);
//   ties go round robin; a ramping target counts as busier in proportion.
// - weighted_random: a routable target at random (per-worker xorshift). Its only weights
//   would be ramps, and slow start is refused with it (as ALB does).
// Which targets are routable (healthy, or all when the group fails open; not ejected) is
// decided by the control thread and published in routable(). Draining targets are not
// members at all.
//
// Membership changes without a new snapshot (members.hpp): the control thread prepare()s
// a new version of the member list, sets its routable bits, and posts each worker its
// copy, which the worker install()s between picks. Until then a worker picks from the
// version it has. The group object itself (its per-worker retry budgets and balancing
// state) lives on.
//
// Thread affinity: built by the control thread. targets(), routable(), prepare() and
// set_ramp_until(): the control thread (they are the latest version, which workers may
// not have yet). install(w), pick(w) and find_routable(w) and slot w: worker w only. The
// round-robin sequence and the targets' counters are shared (atomics). Ownership:
// shared_ptr held by snapshots.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "lb/upstream/members.hpp"
#include "lb/upstream/routable_set.hpp"
#include "lb/upstream/target.hpp"

namespace tern::upstream {

// Retry budgets, one per worker (each written by its worker only), shared by every
// generation of a group's TargetGroup so that a reload does not refill them.
class RetryBudgets {
 public:
  explicit RetryBudgets(int workers)
      : slots_(new Slot[static_cast<size_t>(std::max(workers, 1))]) {}
  uint32_t& fifths(int worker) { return slots_[static_cast<size_t>(worker)].fifths; }

 private:
  struct alignas(64) Slot {
    uint32_t fifths = 50;  // in fifths of a retry: 10 banked at start
  };
  std::unique_ptr<Slot[]> slots_;
};

enum class Algorithm : uint8_t { kRoundRobin, kLeastOutstandingRequests, kWeightedRandom };
enum class StickyKind : uint8_t { kNone, kLbCookie, kAppCookie };

struct GroupSettings {
  Algorithm algorithm = Algorithm::kRoundRobin;
  StickyKind sticky = StickyKind::kNone;
  std::chrono::seconds sticky_duration{86400};
  std::string app_cookie_name;  // app_cookie: the application's cookie
  std::chrono::milliseconds slow_start{0};
  // Passive health: connect failures/resets in a row of a target that are reported to the
  // control thread (outlier_detection.consecutive_failures; 0 = off).
  uint32_t eject_after = 5;
};

class TargetGroup {
 public:
  // `budgets`: the retry budgets of the group's previous generation (a reload), or null
  // for fresh ones.
  TargetGroup(std::string name, std::vector<std::shared_ptr<Target>> targets, int workers,
              GroupSettings settings = {}, std::shared_ptr<RetryBudgets> budgets = nullptr);
  const std::shared_ptr<RetryBudgets>& retry_budgets() const { return budgets_; }

  const std::string& name() const { return name_; }
  const GroupSettings& settings() const { return settings_; }
  int workers() const { return workers_; }

  // Control thread: the latest member list and its routable bits.
  const std::vector<std::shared_ptr<Target>>& targets() const { return targets_; }
  RoutableSet& routable() { return *routable_; }
  const RoutableSet& routable() const { return *routable_; }

  // Control thread: makes `targets` the latest member list (every bit routable until the
  // caller sets them) and returns one copy per worker, to be posted and install()ed.
  std::vector<MembersPtr> prepare(std::vector<std::shared_ptr<Target>> targets);

  // Worker `worker`: the member list it picks from from now on.
  void install(int worker, MembersPtr members);
  const MembersPtr& members(int worker) const {
    return slots_[static_cast<size_t>(worker)].members;
  }

  // A routable target for worker `worker` that is not in `avoid` (targets that already
  // failed this request); nullptr when there is none. The pointer is into the worker's
  // member list: valid while `hold` (set to that list when given) or the worker's slot
  // keeps it, i.e. until the next install() when no hold is asked for.
  const std::shared_ptr<Target>* pick(int worker, std::span<const Target* const> avoid = {},
                                      MembersPtr* hold = nullptr);

  // The routable target at `endpoint` (a stickiness cookie's) in worker `worker`'s
  // member list, or nullptr; `hold` as for pick().
  const std::shared_ptr<Target>* find_routable(int worker,
                                               const boost::asio::ip::tcp::endpoint& endpoint,
                                               MembersPtr* hold = nullptr) const;

  // Retry budget, per worker: each request earns a fifth of a retry, a re-sent request
  // spends one; at most 20 are banked (10 at start). Re-sends stay below ~20 % of the
  // traffic however the group fails, so a failing group cannot double its own load.
  // (Moving on after a failed connect costs nothing: that request loaded no target.)
  void count_request(int worker) {
    uint32_t& f = budgets_->fifths(worker);
    if (f < kMaxRetryFifths) ++f;
  }
  bool take_retry(int worker) {
    uint32_t& f = budgets_->fifths(worker);
    if (f < 5) return false;
    f -= 5;
    return true;
  }

  // Slow start: the steady-clock millisecond until which some target ramps up (control
  // thread; 0 = none). Weights are ramp fractions in hundredths.
  void set_ramp_until(int64_t ms) { ramp_until_ms_.store(ms, std::memory_order_relaxed); }
  int64_t ramp_until() const { return ramp_until_ms_.load(std::memory_order_relaxed); }
  static int ramp_weight(const Target& target, std::chrono::milliseconds slow_start,
                         int64_t now_ms);

 private:
  struct alignas(64) Slot {
    MembersPtr members;  // this worker's version of the member list
    uint64_t next = 0;   // first candidate for ties: after the last pick (least outstanding)
    uint64_t rng = 0;    // xorshift64 state (weighted random)
    std::vector<int64_t> current;   // smooth weighted round robin, while ramping
    std::vector<uint64_t> scratch;  // routable bits of a pick, beyond 1,024 targets
  };
  static constexpr uint32_t kMaxRetryFifths = 100;

  using TargetList = std::vector<std::shared_ptr<Target>>;

  bool ramping(int64_t& now_ms) const;
  size_t round_robin(const TargetList& targets, const RoutableSet::View& v,
                     std::span<const Target* const> avoid) const;
  size_t smooth_weighted(Slot& s, const RoutableSet::View& v, std::span<const Target* const> avoid,
                         int64_t now_ms) const;
  size_t least_outstanding(Slot& s, const RoutableSet::View& v,
                           std::span<const Target* const> avoid, bool ramp, int64_t now_ms) const;
  size_t random(Slot& s, const RoutableSet::View& v, std::span<const Target* const> avoid) const;
  static bool avoided(const TargetList& targets, size_t i, std::span<const Target* const> avoid);

  std::string name_;
  GroupSettings settings_;
  int workers_;
  TargetList targets_;                     // latest version (control thread)
  std::shared_ptr<RoutableSet> routable_;  // latest version's bits
  std::unique_ptr<Slot[]> slots_;
  std::shared_ptr<RetryBudgets> budgets_;
  alignas(64) mutable std::atomic<uint64_t> sequence_{0};  // round robin, all workers
  std::atomic<int64_t> ramp_until_ms_{0};
};

}  // namespace tern::upstream
