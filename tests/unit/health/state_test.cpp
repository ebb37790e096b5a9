// ALB's target health state machine: names, codes, thresholds 2..10, last-failure
// reasons, externally set states, and an exhaustive comparison with a reference model.
#include "health/state.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tern::health {
namespace {

ProbeResult ok() {
  return {ProbeResult::kOk, 200, {}};
}
ProbeResult mismatch(int status) {
  return {ProbeResult::kStatusMismatch, status, "status " + std::to_string(status)};
}
ProbeResult timeout() {
  return {ProbeResult::kTimeout, 0, "timed out"};
}
ProbeResult failed() {
  return {ProbeResult::kFailed, 0, "connecting: Connection refused"};
}

TEST(State, Names) {
  EXPECT_EQ(to_string(State::kInitial), "initial");
  EXPECT_EQ(to_string(State::kHealthy), "healthy");
  EXPECT_EQ(to_string(State::kUnhealthy), "unhealthy");
  EXPECT_EQ(to_string(State::kUnused), "unused");
  EXPECT_EQ(to_string(State::kDraining), "draining");
  EXPECT_EQ(to_string(State::kUnavailable), "unavailable");
}

TEST(State, ReasonCodesAndDescriptions) {
  struct Row {
    Reason reason;
    const char* code;
    const char* description;
  };
  const Row rows[] = {
      {Reason::kNone, "", ""},
      {Reason::kInitialHealthChecking, "Elb.InitialHealthChecking",
       "Initial health checks in progress"},
      {Reason::kResponseCodeMismatch, "Target.ResponseCodeMismatch",
       "Health checks failed with these codes"},
      {Reason::kTimeout, "Target.Timeout", "Request timed out"},
      {Reason::kFailedHealthChecks, "Target.FailedHealthChecks", "Health checks failed"},
      {Reason::kHealthCheckDisabled, "Target.HealthCheckDisabled", "Health checks are disabled"},
      {Reason::kDeregistrationInProgress, "Target.DeregistrationInProgress",
       "Target deregistration is in progress"},
      {Reason::kNotRegistered, "Target.NotRegistered",
       "Target is not registered to the target group"},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(reason_code(row.reason), row.code);
    EXPECT_EQ(reason_description(row.reason), row.description);
  }
}

TEST(TargetHealth, StartsInitial) {
  TargetHealth h;
  EXPECT_EQ(h.state(), State::kInitial);
  EXPECT_EQ(h.reason(), Reason::kInitialHealthChecking);
  EXPECT_EQ(h.code(), "Elb.InitialHealthChecking");
  EXPECT_EQ(h.description(), "Initial health checks in progress");
  EXPECT_FALSE(h.became_healthy());
}

// Applies `n` copies of `r`; returns how many of them reported a change.
int apply_n(TargetHealth& h, const ProbeResult& r, int n, Thresholds t) {
  int changes = 0;
  for (int i = 0; i < n; ++i) changes += h.apply(r, t) ? 1 : 0;
  return changes;
}

TEST(TargetHealth, InitialBecomesHealthyAfterExactlyHealthySuccesses) {
  for (int healthy = 2; healthy <= 10; ++healthy) {
    for (int unhealthy = 2; unhealthy <= 10; ++unhealthy) {
      const Thresholds t{healthy, unhealthy};
      TargetHealth h;
      EXPECT_EQ(apply_n(h, ok(), healthy - 1, t), 0);
      EXPECT_EQ(h.state(), State::kInitial);
      EXPECT_TRUE(h.apply(ok(), t));
      EXPECT_EQ(h.state(), State::kHealthy);
      EXPECT_TRUE(h.became_healthy());
      EXPECT_EQ(h.reason(), Reason::kNone);
      EXPECT_EQ(h.code(), "");
      EXPECT_EQ(h.description(), "");
      EXPECT_FALSE(h.apply(ok(), t));
      EXPECT_FALSE(h.became_healthy());
    }
  }
}

TEST(TargetHealth, InitialBecomesUnhealthyAfterExactlyUnhealthyFailures) {
  for (int healthy = 2; healthy <= 10; ++healthy) {
    for (int unhealthy = 2; unhealthy <= 10; ++unhealthy) {
      const Thresholds t{healthy, unhealthy};
      TargetHealth h;
      EXPECT_EQ(apply_n(h, timeout(), unhealthy - 1, t), 0);
      EXPECT_EQ(h.state(), State::kInitial);
      EXPECT_EQ(h.reason(), Reason::kInitialHealthChecking);
      EXPECT_TRUE(h.apply(timeout(), t));
      EXPECT_EQ(h.state(), State::kUnhealthy);
      EXPECT_EQ(h.reason(), Reason::kTimeout);
      EXPECT_EQ(h.description(), "Request timed out");
      EXPECT_FALSE(h.became_healthy());
    }
  }
}

TEST(TargetHealth, HealthyToUnhealthyAndBack) {
  for (int healthy = 2; healthy <= 10; ++healthy) {
    for (int unhealthy = 2; unhealthy <= 10; ++unhealthy) {
      const Thresholds t{healthy, unhealthy};
      TargetHealth h;
      apply_n(h, ok(), healthy, t);
      ASSERT_EQ(h.state(), State::kHealthy);
      EXPECT_EQ(apply_n(h, mismatch(503), unhealthy - 1, t), 0);
      EXPECT_EQ(h.state(), State::kHealthy);
      EXPECT_TRUE(h.apply(mismatch(503), t));
      EXPECT_EQ(h.state(), State::kUnhealthy);
      EXPECT_EQ(h.code(), "Target.ResponseCodeMismatch");
      EXPECT_EQ(h.description(), "Health checks failed with these codes: [503]");
      EXPECT_EQ(apply_n(h, ok(), healthy - 1, t), 0);
      EXPECT_EQ(h.state(), State::kUnhealthy);
      EXPECT_TRUE(h.apply(ok(), t));
      EXPECT_EQ(h.state(), State::kHealthy);
      EXPECT_TRUE(h.became_healthy());
    }
  }
}

TEST(TargetHealth, AnInterruptedRunStartsOver) {
  for (int n = 2; n <= 10; ++n) {
    const Thresholds t{n, n};
    TargetHealth h;
    apply_n(h, ok(), n - 1, t);
    h.apply(failed(), t);  // resets the successes
    EXPECT_EQ(h.consecutive_successes(), 0);
    EXPECT_EQ(h.consecutive_failures(), 1);
    apply_n(h, ok(), n - 1, t);
    EXPECT_EQ(h.state(), State::kInitial);
    h.apply(ok(), t);
    EXPECT_EQ(h.state(), State::kHealthy);

    apply_n(h, failed(), n - 1, t);
    h.apply(ok(), t);  // resets the failures
    EXPECT_EQ(h.consecutive_failures(), 0);
    apply_n(h, failed(), n - 1, t);
    EXPECT_EQ(h.state(), State::kHealthy);
    h.apply(failed(), t);
    EXPECT_EQ(h.state(), State::kUnhealthy);
  }
}

TEST(TargetHealth, UnhealthyReasonIsTheLastFailure) {
  const Thresholds t{2, 2};
  TargetHealth h;
  EXPECT_FALSE(h.apply(failed(), t));
  EXPECT_TRUE(h.apply(timeout(), t));  // the failure that decided
  EXPECT_EQ(h.reason(), Reason::kTimeout);
  EXPECT_TRUE(h.apply(mismatch(503), t));
  EXPECT_EQ(h.reason(), Reason::kResponseCodeMismatch);
  EXPECT_EQ(h.description(), "Health checks failed with these codes: [503]");
  EXPECT_FALSE(h.apply(mismatch(503), t));  // nothing changed
  EXPECT_TRUE(h.apply(mismatch(404), t));   // same reason, new description
  EXPECT_EQ(h.description(), "Health checks failed with these codes: [404]");
  EXPECT_TRUE(h.apply(failed(), t));
  EXPECT_EQ(h.code(), "Target.FailedHealthChecks");
  EXPECT_EQ(h.description(), "Health checks failed");
  EXPECT_EQ(h.last_failure_detail(), "connecting: Connection refused");
  // A success below the threshold keeps the last failure's reason.
  EXPECT_FALSE(h.apply(ok(), t));
  EXPECT_EQ(h.code(), "Target.FailedHealthChecks");
}

TEST(TargetHealth, ExternallySetStatesIgnoreProbes) {
  const Thresholds t{2, 2};
  TargetHealth h;
  EXPECT_TRUE(h.set_disabled());
  EXPECT_EQ(h.state(), State::kUnavailable);
  EXPECT_EQ(h.code(), "Target.HealthCheckDisabled");
  EXPECT_EQ(h.description(), "Health checks are disabled");
  EXPECT_FALSE(h.set_disabled());
  EXPECT_EQ(apply_n(h, ok(), 5, t), 0);
  EXPECT_EQ(h.state(), State::kUnavailable);

  EXPECT_TRUE(h.set_draining());
  EXPECT_EQ(h.state(), State::kDraining);
  EXPECT_EQ(h.code(), "Target.DeregistrationInProgress");
  EXPECT_EQ(h.description(), "Target deregistration is in progress");
  EXPECT_EQ(apply_n(h, failed(), 5, t), 0);
  EXPECT_EQ(h.state(), State::kDraining);

  EXPECT_TRUE(h.set_unused());
  EXPECT_EQ(h.state(), State::kUnused);
  EXPECT_EQ(h.code(), "Target.NotRegistered");
  EXPECT_EQ(h.description(), "Target is not registered to the target group");
  EXPECT_EQ(apply_n(h, ok(), 5, t), 0);

  EXPECT_TRUE(h.restart());
  EXPECT_EQ(h.state(), State::kInitial);
  EXPECT_EQ(h.code(), "Elb.InitialHealthChecking");
  EXPECT_EQ(h.consecutive_successes(), 0);
  EXPECT_FALSE(h.restart());
  apply_n(h, ok(), 2, t);
  EXPECT_EQ(h.state(), State::kHealthy);
}

TEST(TargetHealth, DrainingAHealthyTargetIsNotBecomingHealthy) {
  const Thresholds t{2, 2};
  TargetHealth h;
  apply_n(h, ok(), 2, t);
  EXPECT_TRUE(h.became_healthy());
  EXPECT_TRUE(h.set_draining());
  EXPECT_FALSE(h.became_healthy());
}

// ---- Exhaustive comparison with a reference model --------------------------------------

// The spec restated as directly as possible: state after each result of a sequence.
struct Model {
  State state = State::kInitial;
  int successes = 0;
  int failures = 0;
  Reason reason = Reason::kInitialHealthChecking;
  int status = 0;

  void step(const ProbeResult& r, Thresholds t) {
    if (r.kind == ProbeResult::kOk) {
      ++successes;
      failures = 0;
      if (successes >= t.healthy) {
        state = State::kHealthy;
        reason = Reason::kNone;
      }
      return;
    }
    ++failures;
    successes = 0;
    if (failures >= t.unhealthy || state == State::kUnhealthy) {
      state = State::kUnhealthy;
      reason = r.kind == ProbeResult::kTimeout          ? Reason::kTimeout
               : r.kind == ProbeResult::kStatusMismatch ? Reason::kResponseCodeMismatch
                                                        : Reason::kFailedHealthChecks;
      status = r.status;
    }
  }
};

TEST(TargetHealth, MatchesTheReferenceModelOnEverySequenceOfTwelve) {
  constexpr int kLength = 12;
  const ProbeResult failures[] = {failed(), timeout(), mismatch(503), mismatch(404)};
  for (int healthy = 2; healthy <= 10; ++healthy) {
    for (int unhealthy = 2; unhealthy <= 10; ++unhealthy) {
      const Thresholds t{healthy, unhealthy};
      for (unsigned bits = 0; bits < (1u << kLength); ++bits) {
        TargetHealth h;
        Model m;
        for (int i = 0; i < kLength; ++i) {
          const bool success = (bits >> i) & 1u;
          // Vary the kind of failure with the position so that reasons change too.
          const ProbeResult& r = success ? ok() : failures[(bits + i) % 4];
          const State before = h.state();
          const Reason reason_before = h.reason();
          const std::string description_before = h.description();
          const bool changed = h.apply(r, t);
          m.step(r, t);
          ASSERT_EQ(h.state(), m.state) << "bits " << bits << " step " << i;
          ASSERT_EQ(h.reason(), m.reason) << "bits " << bits << " step " << i;
          if (m.reason == Reason::kResponseCodeMismatch) {
            ASSERT_EQ(h.description(),
                      "Health checks failed with these codes: [" + std::to_string(m.status) + "]");
          }
          ASSERT_EQ(changed, before != h.state() || reason_before != h.reason() ||
                                 description_before != h.description());
          ASSERT_EQ(h.became_healthy(), before != State::kHealthy && h.state() == State::kHealthy);
        }
      }
    }
  }
}

}  // namespace
}  // namespace tern::health
