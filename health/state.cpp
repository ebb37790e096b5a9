#include "health/state.hpp"

#include <utility>

#include "health/matcher.hpp"

namespace tern::health {

std::string_view to_string(State state) {
  switch (state) {
    case State::kInitial:
      return "initial";
    case State::kHealthy:
      return "healthy";
    case State::kUnhealthy:
      return "unhealthy";
    case State::kUnused:
      return "unused";
    case State::kDraining:
      return "draining";
    case State::kUnavailable:
      return "unavailable";
  }
  return "unavailable";
}

std::string_view reason_code(Reason reason) {
  switch (reason) {
    case Reason::kNone:
      return "";
    case Reason::kInitialHealthChecking:
      return "Elb.InitialHealthChecking";
    case Reason::kResponseCodeMismatch:
      return "Target.ResponseCodeMismatch";
    case Reason::kTimeout:
      return "Target.Timeout";
    case Reason::kFailedHealthChecks:
      return "Target.FailedHealthChecks";
    case Reason::kHealthCheckDisabled:
      return "Target.HealthCheckDisabled";
    case Reason::kDeregistrationInProgress:
      return "Target.DeregistrationInProgress";
    case Reason::kNotRegistered:
      return "Target.NotRegistered";
  }
  return "";
}

std::string_view reason_description(Reason reason) {
  switch (reason) {
    case Reason::kNone:
      return "";
    case Reason::kInitialHealthChecking:
      return "Initial health checks in progress";
    case Reason::kResponseCodeMismatch:
      return "Health checks failed with these codes";
    case Reason::kTimeout:
      return "Request timed out";
    case Reason::kFailedHealthChecks:
      return "Health checks failed";
    case Reason::kHealthCheckDisabled:
      return "Health checks are disabled";
    case Reason::kDeregistrationInProgress:
      return "Target deregistration is in progress";
    case Reason::kNotRegistered:
      return "Target is not registered to the target group";
  }
  return "";
}

namespace {

bool externally_set(State state) {
  return state == State::kDraining || state == State::kUnused || state == State::kUnavailable;
}

Reason failure_reason(ProbeResult::Kind kind) {
  switch (kind) {
    case ProbeResult::kStatusMismatch:
      return Reason::kResponseCodeMismatch;
    case ProbeResult::kTimeout:
      return Reason::kTimeout;
    case ProbeResult::kOk:
    case ProbeResult::kFailed:
      break;
  }
  return Reason::kFailedHealthChecks;
}

}  // namespace

bool TargetHealth::set(State state, Reason reason, std::string description) {
  bool changed = state != state_ || reason != reason_ || description != description_;
  became_healthy_ = changed && state == State::kHealthy && state_ != State::kHealthy;
  state_ = state;
  reason_ = reason;
  description_ = std::move(description);
  return changed;
}

bool TargetHealth::apply(const ProbeResult& result, Thresholds thresholds) {
  became_healthy_ = false;
  if (externally_set(state_)) return false;
  if (result.kind == ProbeResult::kOk) {
    failures_ = 0;
    if (successes_ < thresholds.healthy) ++successes_;
    if (state_ == State::kHealthy || successes_ < thresholds.healthy) return false;
    return set(State::kHealthy, Reason::kNone, {});
  }
  successes_ = 0;
  if (failures_ < thresholds.unhealthy) ++failures_;
  last_failure_detail_ = result.detail;
  if (state_ != State::kUnhealthy && failures_ < thresholds.unhealthy) return false;
  Reason reason = failure_reason(result.kind);
  std::string description = reason == Reason::kResponseCodeMismatch
                                ? mismatch_description(result.status)
                                : std::string(reason_description(reason));
  return set(State::kUnhealthy, reason, std::move(description));
}

bool TargetHealth::set_disabled() {
  successes_ = failures_ = 0;
  return set(State::kUnavailable, Reason::kHealthCheckDisabled,
             std::string(reason_description(Reason::kHealthCheckDisabled)));
}

bool TargetHealth::set_draining() {
  return set(State::kDraining, Reason::kDeregistrationInProgress,
             std::string(reason_description(Reason::kDeregistrationInProgress)));
}

bool TargetHealth::set_unused() {
  return set(State::kUnused, Reason::kNotRegistered,
             std::string(reason_description(Reason::kNotRegistered)));
}

bool TargetHealth::restart() {
  successes_ = failures_ = 0;
  last_failure_detail_.clear();
  return set(State::kInitial, Reason::kInitialHealthChecking,
             std::string(reason_description(Reason::kInitialHealthChecking)));
}

}  // namespace tern::health
