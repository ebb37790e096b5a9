// The order of ECS task states (spec/config.md, ECS events; alb-reference.md §10.3):
// EventBridge delivers at least once and out of order, and `version` grows with every
// state change of a task, so per task ARN the last applied version is kept and a state
// (an event's detail or a DescribeTasks task) whose version is not newer is stale and
// ignored. A late or duplicated RUNNING event therefore never revives a stopped task.
//
// A task last seen stopping is remembered for `keep_stopped` after that (long enough for
// late deliveries), then forgotten by forget_old(), so the map cannot grow without bound;
// the poll reports tasks that vanished without a stop event through note_gone().
// A state without a version cannot be ordered: it is applied only for a task with no
// recorded version, and recorded as version 0.
//
// Keep one per target group (two groups following one service each apply every state).
//
// Thread affinity: none (pure, no clock of its own: callers pass `now`); the owner
// serializes calls (the control thread). Ownership: values only; copyable.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace tern::discovery {

class EcsVersionOrder {
 public:
  using Clock = std::chrono::steady_clock;

  explicit EcsVersionOrder(Clock::duration keep_stopped = std::chrono::hours(1))
      : keep_stopped_(keep_stopped) {}

  // True (and recorded) when `version` is newer than the last applied one for `task_arn`
  // (or the task is new); false when stale. `stopping`: the state is a stopping one (the
  // task is forgotten keep_stopped after the first such state).
  bool admit(std::string_view task_arn, std::optional<int64_t> version, bool stopping,
             Clock::time_point now);

  // The poll no longer lists the task: treat it as stopped from `now` (no-op if unknown or
  // already stopped).
  void note_gone(std::string_view task_arn, Clock::time_point now);

  // Forgets tasks stopped for at least keep_stopped at `now`; returns how many.
  size_t forget_old(Clock::time_point now);

  std::optional<int64_t> last_applied(std::string_view task_arn) const;
  size_t size() const { return tasks_.size(); }

 private:
  struct Entry {
    int64_t version = 0;
    std::optional<Clock::time_point> stopped_since;
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  Clock::duration keep_stopped_;
  std::unordered_map<std::string, Entry, Hash, std::equal_to<>> tasks_;
};

}  // namespace tern::discovery
