// A target's health as ALB models it (describe-target-health): a state, a reason code and
// a description, moved by consecutive probe results against the group's thresholds.
//
// Pure logic, no I/O: the checker (checker.hpp) feeds it probe results; the app publishes
// state() into the target's atomic health word, which workers read when they pick. State
// is a uint8_t with stable values so that it fits such a word as is.
//
// Thread affinity: TargetHealth belongs to one thread (the control thread); the free
// functions are pure. Ownership: values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tern::health {

enum class State : uint8_t { kInitial, kHealthy, kUnhealthy, kUnused, kDraining, kUnavailable };

// "initial", "healthy", "unhealthy", "unused", "draining", "unavailable" (ALB's spelling).
std::string_view to_string(State state);

enum class Reason : uint8_t {
  kNone,                      // healthy: no reason, empty description
  kInitialHealthChecking,     // initial
  kResponseCodeMismatch,      // unhealthy: the target answered a code the matcher rejects
  kTimeout,                   // unhealthy: no status line within the check's timeout
  kFailedHealthChecks,        // unhealthy: refused, reset, closed or an invalid response
  kHealthCheckDisabled,       // unavailable
  kDeregistrationInProgress,  // draining
  kNotRegistered,             // unused
};

// ALB's reason code ("Elb.InitialHealthChecking", "Target.Timeout", ...); "" for kNone.
std::string_view reason_code(Reason reason);
// ALB's fixed description for the reason; "" for kNone. kResponseCodeMismatch gives the
// text without the codes: a target's description lists them (matcher.hpp,
// mismatch_description).
std::string_view reason_description(Reason reason);

// The outcome of one probe (probe.hpp).
struct ProbeResult {
  enum Kind { kOk, kStatusMismatch, kTimeout, kFailed };
  Kind kind = kFailed;
  int status = 0;      // the status code answered (kOk, kStatusMismatch)
  std::string detail;  // what went wrong, for operators ("connection refused"); not published
};

// Consecutive results needed to change state (health_check.healthy_threshold and
// unhealthy_threshold, 2..10).
struct Thresholds {
  int healthy = 5;
  int unhealthy = 2;
};

// ALB's state machine for one target:
//  - it starts initial (Elb.InitialHealthChecking);
//  - successes and failures are counted consecutively: a success resets the failure count
//    and a failure resets the success count;
//  - initial or unhealthy becomes healthy after `healthy` consecutive successes;
//  - initial or healthy becomes unhealthy after `unhealthy` consecutive failures;
//  - an unhealthy target's reason and description are those of its LAST failure (a target
//    that went from timing out to answering 503 says ResponseCodeMismatch [503]);
//  - a healthy target has Reason::kNone and an empty description.
// Draining, unused and unavailable are set from outside (deregistration, checks disabled)
// and ignore probe results: only restart() brings such a target back to initial.
class TargetHealth {
 public:
  State state() const { return state_; }
  Reason reason() const { return reason_; }
  const std::string& description() const { return description_; }
  std::string_view code() const { return reason_code(reason_); }

  // Consecutive results so far, saturating at the threshold they are compared with.
  int consecutive_successes() const { return successes_; }
  int consecutive_failures() const { return failures_; }
  // The detail of the latest failed probe ("" before any), for the admin listing.
  const std::string& last_failure_detail() const { return last_failure_detail_; }

  // Counts one probe result. True when state, reason or description changed (publish).
  bool apply(const ProbeResult& result, Thresholds thresholds);

  // True when the last call that changed anything moved the target into healthy from
  // another state: slow start begins then. Reset by every mutating call.
  bool became_healthy() const { return became_healthy_; }

  // Health checks disabled: unavailable / Target.HealthCheckDisabled (routable).
  bool set_disabled();
  // Deregistered: draining / Target.DeregistrationInProgress.
  bool set_draining();
  // Not registered: unused / Target.NotRegistered.
  bool set_unused();
  // Back to initial with zero counts (health checks re-enabled, target registered again).
  bool restart();

 private:
  bool set(State state, Reason reason, std::string description);

  State state_ = State::kInitial;
  Reason reason_ = Reason::kInitialHealthChecking;
  std::string description_{reason_description(Reason::kInitialHealthChecking)};
  int successes_ = 0;
  int failures_ = 0;
  bool became_healthy_ = false;
  std::string last_failure_detail_;
};

}  // namespace tern::health
