// Passive ejection (Envoy's consecutive-5xx outlier detection): a target whose real
// requests fail N times in a row is taken out of rotation for a while, without waiting for
// the active health checks to notice.
//
// Rules, Envoy's (source/common/upstream/outlier_detection_impl.cc):
//  - a success resets the target's consecutive failure count;
//  - at `consecutive_failures` failures in a row the target is ejected, if the group's
//    cap allows (below), for base_ejection_time * multiplier, capped at
//    max(base_ejection_time, max_ejection_time); the multiplier grows by one at each
//    ejection (1, 2, 3, ...) while base * multiplier < max_ejection_time, so it stops
//    growing once the cap is reached;
//  - an ejected target comes back when its time passed (tick); its failure count restarts
//    at zero;
//  - the multiplier decays by one for each base_ejection_time the target spends not
//    ejected (Envoy decrements it on each detection interval; counting whole
//    base_ejection_times since the un-ejection is the same rule without a timer), so a
//    target that fails again soon is ejected for longer, one that recovered for good
//    starts from base again.
// The cap (our choice, documented in the spec by the integrator):
//  - a group of one target never ejects it: ejecting the only target turns every request
//    into a 503 that the target might have served, and fail-open would route to it anyway;
//  - max_ejection_percent 0 (or consecutive_failures 0) disables ejection;
//  - otherwise one more target may be ejected when (ejected + 1) * 100 <= percent * size,
//    and the first one always may (Envoy: "will eject at least one host regardless of the
//    value"), so 50 % of a group of 3 allows one ejected target and 10 % of 2 allows one.
// The tracker counts targets flagged ejected: call tick(now) at next_unejection() (a
// timer) so that expired ejections stop counting against the cap.
//
// Pure logic, no I/O, no clock: every call takes `now`.
//
// Thread affinity: one thread (the control thread: workers post failures and successes
// to it as rare events). Ownership: one tracker per target group, a value.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tern::health {

struct OutlierPolicy {
  int consecutive_failures = 5;
  std::chrono::milliseconds base_ejection_time = std::chrono::seconds(30);
  std::chrono::milliseconds max_ejection_time = std::chrono::seconds(300);
  int max_ejection_percent = 50;  // 0..100
};

class OutlierTracker {
 public:
  using Clock = std::chrono::steady_clock;
  using TimePoint = Clock::time_point;

  explicit OutlierTracker(OutlierPolicy policy = {}) : policy_(policy) {}

  const OutlierPolicy& policy() const { return policy_; }
  // New settings apply to the next failure and the next ejection; current ejections keep
  // their end time.
  void set_policy(OutlierPolicy policy) { policy_ = policy; }

  // The group's targets after a reload or a registration change: targets that remain keep
  // their counts, multiplier and ejection; new ones start clean; others are forgotten.
  void set_targets(std::span<const std::string> keys);

  // One failed request to `key` (connect failure, reset, 5xx: the caller decides). True
  // when it ejected the target (publish it as not routable). Unknown keys are ignored.
  bool record_failure(std::string_view key, TimePoint now);
  // One successful request: resets the consecutive failure count.
  void record_success(std::string_view key);

  // Un-ejects every target whose ejection ended by `now`; returns their keys.
  std::vector<std::string> tick(TimePoint now);
  // When the earliest ejection ends (arm the tick timer for it); nullopt when none.
  std::optional<TimePoint> next_unejection() const;

  bool ejected(std::string_view key) const;
  // The ejection multiplier as of `now` (decay applied); 0 for unknown keys.
  int multiplier(std::string_view key, TimePoint now) const;
  int consecutive_failures(std::string_view key) const;
  size_t ejected_count() const { return ejected_; }
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    int failures = 0;
    int multiplier = 0;
    bool ejected = false;
    TimePoint until{};         // end of the current ejection
    TimePoint decay_anchor{};  // decay counts whole base_ejection_times from here
  };

  bool may_eject() const;
  int decayed(const Entry& entry, TimePoint now) const;
  void apply_decay(Entry& entry, TimePoint now) const;
  void eject(Entry& entry, TimePoint now);

  OutlierPolicy policy_;
  std::map<std::string, Entry, std::less<>> entries_;
  size_t ejected_ = 0;
};

}  // namespace tern::health
