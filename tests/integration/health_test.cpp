// Target health end to end: active probes move targets in and out of rotation after the
// thresholds, fail-open when none is healthy, passive ejection of a target that refuses
// connections, health kept across reloads, and the admin listing at each step.
#include <atomic>
#include <thread>

#include "tests/integration/harness.hpp"

namespace tern::test {
namespace {

// interval 2s and timeout 1s are the smallest the spec allows.
constexpr const char* kFastCheck =
    "health_check: { path: \"/health?deep=1\", interval: 2s, timeout: 1s, healthy_threshold: 2, "
    "unhealthy_threshold: 2 }";
const Millis kSettle(9000);  // thresholds x interval (+10 % jitter) with room to spare

struct TargetState {
  std::string state;
  std::string reason;
  std::string description;
};

class Health : public TernTest {
 protected:
  void start(const std::vector<const Backend*>& backends,
             const std::vector<std::string>& group_extra, const std::string& top = "workers: 2") {
    ConfigSpec spec;
    spec.top = {top, "admin: { bind: \"127.0.0.1:0\" }"};
    spec.listeners = {ListenerSpec{}};
    TargetGroupSpec g;
    for (const Backend* b : backends) g.targets.push_back(b->address());
    g.extra = group_extra;
    spec.groups = {g};
    ASSERT_NO_FATAL_FAILURE(start_tern(to_yaml(spec)));
    admin_ = tern_->admin_port(Millis(2000));
    ASSERT_NE(admin_, 0) << tern_->log();
  }

  std::string listing() {
    const Response r = simple_get(admin_, "/v1/target-groups");
    EXPECT_EQ(r.status, 200) << r.describe();
    EXPECT_EQ(r.header("Content-Type"), "application/json");
    return r.body;
  }

  // The TargetHealth of the target on `port` in the listing.
  TargetState state_of(uint16_t port) {
    const std::string body = listing();
    TargetState out;
    const size_t at = body.find("\"Port\":" + std::to_string(port) + "}");
    if (at == std::string::npos) return out;
    const size_t end = body.find('}', body.find("\"TargetHealth\":", at));
    const std::string th = body.substr(at, end - at);
    const auto field = [&](const std::string& name) {
      const size_t k = th.find("\"" + name + "\":\"");
      if (k == std::string::npos) return std::string();
      const size_t v = k + name.size() + 4;
      return th.substr(v, th.find('"', v) - v);
    };
    out.state = field("State");
    out.reason = field("Reason");
    out.description = field("Description");
    return out;
  }

  bool wait_state(uint16_t port, const std::string& state, Millis timeout = kSettle) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      if (state_of(port).state == state) return true;
      std::this_thread::sleep_for(Millis(100));
    }
    return false;
  }

  bool fail_open() { return listing().find("\"FailOpen\":true") != std::string::npos; }

  uint16_t admin_ = 0;
};

TEST_F(Health, FailingTargetLeavesRotationAndComesBack) {
  Backend b1("b1"), b2("b2");
  ASSERT_NO_FATAL_FAILURE(start({&b1, &b2}, {kFastCheck}));
  // Initial until the thresholds decide (ALB): Elb.InitialHealthChecking.
  const TargetState initial = state_of(b1.port());
  EXPECT_EQ(initial.state, "initial");
  EXPECT_EQ(initial.reason, "Elb.InitialHealthChecking");
  ASSERT_TRUE(wait_state(b1.port(), "healthy")) << listing();
  ASSERT_TRUE(wait_state(b2.port(), "healthy")) << listing();
  EXPECT_FALSE(fail_open());
  // b2's health path starts failing: after unhealthy_threshold probes it is out.
  const auto failing_since = Clock::now();
  b2.set_probe_status(503);
  ASSERT_TRUE(wait_state(b2.port(), "unhealthy")) << listing();
  EXPECT_LE(seconds_since(failing_since), 2 * 2.2 + 1.5);
  const TargetState bad = state_of(b2.port());
  EXPECT_EQ(bad.reason, "Target.ResponseCodeMismatch");
  EXPECT_EQ(bad.description, "Health checks failed with these codes: [503]");
  const size_t before = b2.request_count();
  for (int i = 0; i < 20; ++i) EXPECT_EQ(simple_get(port_, "/").header("X-Backend"), "b1") << i;
  EXPECT_EQ(b2.request_count(), before);
  // It recovers: after healthy_threshold probes it is back in rotation.
  b2.set_probe_status(0);
  ASSERT_TRUE(wait_state(b2.port(), "healthy")) << listing();
  EXPECT_EQ(state_of(b2.port()).reason, "");
  std::set<std::string> seen;
  for (int i = 0; i < 4; ++i) seen.insert(simple_get(port_, "/").header("X-Backend").value_or("?"));
  EXPECT_EQ(seen.size(), 2U);
  EXPECT_TRUE(tern_->has_line("is unhealthy (Target.ResponseCodeMismatch"));
}

TEST_F(Health, AllUnhealthyFailsOpen) {
  Backend b1("b1"), b2("b2");
  ASSERT_NO_FATAL_FAILURE(start({&b1, &b2}, {kFastCheck}));
  b1.set_probe_status(500);
  b2.set_probe_status(-1);  // never answers: Target.Timeout
  ASSERT_TRUE(wait_state(b1.port(), "unhealthy")) << listing();
  ASSERT_TRUE(wait_state(b2.port(), "unhealthy")) << listing();
  EXPECT_EQ(state_of(b2.port()).reason, "Target.Timeout");
  EXPECT_TRUE(fail_open()) << listing();
  // ALB's fail-open: every target is used rather than none.
  std::set<std::string> seen;
  for (int i = 0; i < 4; ++i) {
    const Response r = simple_get(port_, "/");
    EXPECT_EQ(r.status, 200) << r.describe();
    seen.insert(r.header("X-Backend").value_or("?"));
  }
  EXPECT_EQ(seen.size(), 2U);
  EXPECT_TRUE(tern_->has_line("failing open"));
}

TEST_F(Health, RefusedTargetIsUnhealthyWithFailedHealthChecks) {
  Backend b1("b1");
  auto b2 = std::make_unique<Backend>("b2");
  ASSERT_NO_FATAL_FAILURE(start({&b1, b2.get()}, {kFastCheck}));
  const uint16_t gone = b2->port();
  b2->stop();
  ASSERT_TRUE(wait_state(gone, "unhealthy")) << listing();
  EXPECT_EQ(state_of(gone).reason, "Target.FailedHealthChecks");
}

TEST_F(Health, DisabledChecksUseEveryTargetAndProbeNothing) {
  Backend b1("b1"), b2("b2");
  ASSERT_NO_FATAL_FAILURE(start({&b1, &b2}, {"health_check: { enabled: false }"}));
  const TargetState s = state_of(b1.port());
  EXPECT_EQ(s.state, "unavailable");
  EXPECT_EQ(s.reason, "Target.HealthCheckDisabled");
  EXPECT_FALSE(fail_open());
  std::this_thread::sleep_for(Millis(500));
  EXPECT_EQ(b1.probe_count() + b2.probe_count(), 0U);
  std::set<std::string> seen;
  for (int i = 0; i < 4; ++i) seen.insert(simple_get(port_, "/").header("X-Backend").value_or("?"));
  EXPECT_EQ(seen.size(), 2U);
}

TEST_F(Health, EachTargetIsProbedOncePerIntervalWhateverTheWorkers) {
  Backend b1("b1");
  ASSERT_NO_FATAL_FAILURE(start({&b1}, {kFastCheck}, "workers: 4"));
  std::this_thread::sleep_for(Millis(6500));
  // First probe within 0.2 s, then every 2 s ± 10 %: 4 probes, never 4 x 4.
  EXPECT_GE(b1.probe_count(), 3U);
  EXPECT_LE(b1.probe_count(), 5U);
}

TEST_F(Health, HealthSurvivesAReload) {
  Backend b1("b1"), b2("b2");
  ASSERT_NO_FATAL_FAILURE(start({&b1, &b2}, {kFastCheck}));
  b2.set_probe_status(503);
  ASSERT_TRUE(wait_state(b1.port(), "healthy")) << listing();
  ASSERT_TRUE(wait_state(b2.port(), "unhealthy")) << listing();
  ConfigSpec spec;
  spec.top = {"workers: 2", "admin: { bind: \"127.0.0.1:0\" }"};
  ListenerSpec l;
  l.extra = {"idle_timeout: 30s"};
  spec.listeners = {l};
  TargetGroupSpec g;
  g.targets = {b1.address(), b2.address()};
  g.extra = {kFastCheck};
  spec.groups = {g};
  tern_->rewrite_config(to_yaml(spec));
  ASSERT_EQ(tern_->reload(), ReloadOutcome::kReloaded) << tern_->log();
  // Same targets, same states at once: no return to `initial`, no traffic to b2.
  EXPECT_EQ(state_of(b1.port()).state, "healthy");
  EXPECT_EQ(state_of(b2.port()).state, "unhealthy");
  for (int i = 0; i < 6; ++i) EXPECT_EQ(simple_get(port_, "/").header("X-Backend"), "b1");
}

TEST_F(Health, KilledTargetIsEjectedWithoutWaitingForProbes) {
  Backend b1("b1"), b2("b2");
  auto b3 = std::make_unique<Backend>("b3");
  // Probes every 30 s: only passive health can act within this test.
  ASSERT_NO_FATAL_FAILURE(start({&b1, &b2, b3.get()},
                                {"outlier_detection: { consecutive_failures: 3, "
                                 "base_ejection_time: 1s }"},
                                "workers: 1"));
  const uint16_t gone = b3->port();
  b3->stop();
  int failed = 0;
  for (int i = 0; i < 30; ++i) failed += simple_get(port_, "/").status == 200 ? 0 : 1;
  EXPECT_EQ(failed, 0) << "connect failures move to another target";
  EXPECT_EQ(state_of(gone).reason, "Target.Ejected") << listing();
  EXPECT_TRUE(tern_->has_line("ejected after")) << tern_->log();
  // The ejection ends after base_ejection_time; the target fails again and is ejected
  // for longer (2 x base).
  ASSERT_TRUE(tern_->wait_for_line("returns after its ejection", Millis(3000)).has_value())
      << tern_->log();
}

TEST_F(Health, AdminErrorsAreJson) {
  Backend b1("b1");
  ASSERT_NO_FATAL_FAILURE(start({&b1}, {}));
  const Response ok = simple_get(admin_, "/healthz");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "{\"status\":\"ok\"}");
  const Response missing = simple_get(admin_, "/v1/nothing");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, "{\"error\":\"no such endpoint: /v1/nothing\"}");
  Client c(admin_);
  const Response wrong = c.request(build_request("DELETE", "/v1/target-groups", {}));
  EXPECT_EQ(wrong.status, 405) << wrong.describe();
  EXPECT_EQ(wrong.header("Allow"), "GET, HEAD");
  EXPECT_NE(wrong.body.find("\"error\""), std::string::npos);
  // Bad calls change nothing: the listing is the same.
  EXPECT_NE(listing().find("\"TargetGroupName\":\"app\""), std::string::npos);
}

}  // namespace
}  // namespace tern::test
