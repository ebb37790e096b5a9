// The probe loops against real local servers with short intervals: state changes as they
// are published, and what update() keeps, restarts and stops.
#include "health/checker.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "tests/unit/health/test_server.hpp"

namespace tern::health {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using test::TestServer;

struct Published {
  std::string key;
  State state;
  Reason reason;
  std::string description;
  bool became_healthy;
};

config::HealthCheck fast_check(milliseconds interval = milliseconds(100),
                               milliseconds timeout = milliseconds(50)) {
  config::HealthCheck check;
  check.path = "/health";
  check.interval = interval;
  check.timeout = timeout;
  check.healthy_threshold = 2;
  check.unhealthy_threshold = 2;
  return check;
}

CheckedGroup group_of(const std::string& name, const config::HealthCheck& check,
                      const std::vector<asio::ip::tcp::endpoint>& endpoints) {
  CheckedGroup group{name, check, {}};
  for (const auto& at : endpoints) {
    group.targets.push_back({name + "|127.0.0.1:" + std::to_string(at.port()), at});
  }
  return group;
}

std::string key_of(const std::string& group, const asio::ip::tcp::endpoint& at) {
  return group + "|127.0.0.1:" + std::to_string(at.port());
}

class CheckerTest : public ::testing::Test {
 protected:
  CheckerTest()
      : checker(io, [this](const std::string& key, const TargetHealth& h, bool became) {
          published.push_back({key, h.state(), h.reason(), h.description(), became});
        }) {}

  State state_of(const std::string& key) {
    const TargetHealth* h = checker.find(key);
    return h ? h->state() : State::kUnused;
  }
  bool wait_state(const std::string& key, State state, milliseconds limit = milliseconds(1500)) {
    return test::run_until(
        io, [&] { return state_of(key) == state; }, limit);
  }
  std::vector<Published> published_for(const std::string& key) const {
    std::vector<Published> out;
    for (const auto& p : published) {
      if (p.key == key) out.push_back(p);
    }
    return out;
  }

  asio::io_context io;
  std::vector<Published> published;
  Checker checker;
};

TEST_F(CheckerTest, BecomesHealthyAfterTwoProbesThenUnhealthyOn503) {
  TestServer server(io, TestServer::Mode::kRespond, 200);
  const std::string key = key_of("app", server.endpoint());
  checker.update({group_of("app", fast_check(), {server.endpoint()})});
  // The new target is published right away with its initial state.
  ASSERT_EQ(published.size(), 1u);
  EXPECT_EQ(published[0].key, key);
  EXPECT_EQ(published[0].state, State::kInitial);
  EXPECT_EQ(published[0].reason, Reason::kInitialHealthChecking);
  EXPECT_FALSE(published[0].became_healthy);

  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(wait_state(key, State::kHealthy));
  // First probe within 10 ms, the second one interval (+-10 %) later.
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(400));
  EXPECT_EQ(server.requests(), 2);
  EXPECT_EQ(server.last_request().rfind("GET /health HTTP/1.1\r\n", 0), 0u);
  ASSERT_EQ(published.size(), 2u);
  EXPECT_EQ(published[1].state, State::kHealthy);
  EXPECT_EQ(published[1].reason, Reason::kNone);
  EXPECT_EQ(published[1].description, "");
  EXPECT_TRUE(published[1].became_healthy);

  server.set_status(503);
  ASSERT_TRUE(wait_state(key, State::kUnhealthy));
  const TargetHealth* h = checker.find(key);
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->code(), "Target.ResponseCodeMismatch");
  EXPECT_EQ(h->description(), "Health checks failed with these codes: [503]");
  ASSERT_EQ(published.size(), 3u);
  EXPECT_EQ(published[2].state, State::kUnhealthy);
  EXPECT_FALSE(published[2].became_healthy);
  EXPECT_EQ(server.requests(), 4);
}

TEST_F(CheckerTest, ClosedPortFailsHealthChecks) {
  const auto closed = test::closed_endpoint(io);
  const std::string key = key_of("app", closed);
  checker.update({group_of("app", fast_check(), {closed})});
  ASSERT_TRUE(wait_state(key, State::kUnhealthy));
  EXPECT_EQ(checker.find(key)->reason(), Reason::kFailedHealthChecks);
  EXPECT_EQ(checker.find(key)->description(), "Health checks failed");
}

TEST_F(CheckerTest, SilentTargetTimesOut) {
  TestServer server(io, TestServer::Mode::kSilent);
  const std::string key = key_of("app", server.endpoint());
  checker.update(
      {group_of("app", fast_check(milliseconds(100), milliseconds(40)), {server.endpoint()})});
  ASSERT_TRUE(wait_state(key, State::kUnhealthy));
  EXPECT_EQ(checker.find(key)->code(), "Target.Timeout");
  EXPECT_EQ(checker.find(key)->description(), "Request timed out");
}

TEST_F(CheckerTest, UpdateKeepsRemainingTargetsAndStopsRemovedOnes) {
  TestServer kept(io, TestServer::Mode::kRespond, 200);
  TestServer removed(io, TestServer::Mode::kRespond, 200);
  const std::string kept_key = key_of("app", kept.endpoint());
  const std::string removed_key = key_of("app", removed.endpoint());
  checker.update({group_of("app", fast_check(), {kept.endpoint(), removed.endpoint()})});
  ASSERT_TRUE(wait_state(kept_key, State::kHealthy));
  ASSERT_TRUE(wait_state(removed_key, State::kHealthy));

  // Same settings (another YAML position does not count as a change).
  auto check = fast_check();
  check.mark = {42, 7};
  published.clear();
  checker.update({group_of("app", check, {kept.endpoint()})});
  EXPECT_TRUE(published.empty());  // nothing new, nothing changed
  EXPECT_EQ(state_of(kept_key), State::kHealthy);
  EXPECT_EQ(checker.find(removed_key), nullptr);
  EXPECT_EQ(checker.size(), 1u);

  const int removed_seen = removed.requests();
  const int kept_seen = kept.requests();
  test::run_for(io, milliseconds(350));
  EXPECT_EQ(removed.requests(), removed_seen);  // no probe since the update
  EXPECT_GE(kept.requests(), kept_seen + 2);    // still probed on schedule
  EXPECT_EQ(state_of(kept_key), State::kHealthy);
}

TEST_F(CheckerTest, RemovingATargetAbortsItsInFlightProbeAndDropsIt) {
  TestServer silent(io, TestServer::Mode::kSilent);
  const std::string key = key_of("app", silent.endpoint());
  // A threshold of one (below what config allows) would publish the very next failure.
  auto check = fast_check(milliseconds(400), milliseconds(300));
  check.unhealthy_threshold = 1;
  checker.update({group_of("app", check, {silent.endpoint()})});
  ASSERT_TRUE(test::run_until(
      io, [&] { return silent.requests() == 1; }, milliseconds(1000)));
  published.clear();
  const auto removed_at = std::chrono::steady_clock::now();
  checker.update({});  // the probe is waiting for its status line
  // Aborted at once, not when its 300 ms timeout would have ended it.
  ASSERT_TRUE(test::run_until(
      io, [&] { return silent.peer_closed() == 1; }, milliseconds(1000)));
  EXPECT_LT(std::chrono::steady_clock::now() - removed_at, milliseconds(200));
  test::run_for(io, milliseconds(450));
  EXPECT_TRUE(published.empty());
  EXPECT_EQ(silent.requests(), 1);
  EXPECT_EQ(checker.size(), 0u);
}

TEST_F(CheckerTest, ChangedSettingsKeepStateAndRestartTheSchedule) {
  TestServer server(io, TestServer::Mode::kRespond, 200);
  const std::string key = key_of("app", server.endpoint());
  checker.update({group_of("app", fast_check(milliseconds(1000)), {server.endpoint()})});
  // Interval 1 s: the first probe comes soon (first tenth), the second not before 900 ms.
  ASSERT_TRUE(test::run_until(
      io, [&] { return server.requests() == 1; }, milliseconds(500)));
  auto check = fast_check(milliseconds(100));
  check.path = "/other";
  checker.update({group_of("app", check, {server.endpoint()})});
  // The restarted schedule probes within 10 ms, then every ~100 ms, with the new path.
  ASSERT_TRUE(wait_state(key, State::kHealthy, milliseconds(400)));
  EXPECT_EQ(server.last_request().rfind("GET /other HTTP/1.1\r\n", 0), 0u);
  // Health survives a later settings change too.
  published.clear();
  auto again = check;
  again.healthy_threshold = 3;
  checker.update({group_of("app", again, {server.endpoint()})});
  EXPECT_TRUE(published.empty());
  EXPECT_EQ(state_of(key), State::kHealthy);
}

TEST_F(CheckerTest, DisabledChecksAreUnavailableAndProbeNothing) {
  TestServer server(io, TestServer::Mode::kRespond, 200);
  const std::string key = key_of("app", server.endpoint());
  auto check = fast_check();
  check.enabled = false;
  checker.update({group_of("app", check, {server.endpoint()})});
  ASSERT_EQ(published.size(), 1u);
  EXPECT_EQ(published[0].state, State::kUnavailable);
  EXPECT_EQ(published[0].reason, Reason::kHealthCheckDisabled);
  test::run_for(io, milliseconds(250));
  EXPECT_EQ(server.requests(), 0);

  // Enabling them starts over at initial.
  checker.update({group_of("app", fast_check(), {server.endpoint()})});
  ASSERT_EQ(published.size(), 2u);
  EXPECT_EQ(published[1].state, State::kInitial);
  ASSERT_TRUE(wait_state(key, State::kHealthy));

  // Disabling a healthy target makes it unavailable and stops the probes.
  checker.update({group_of("app", check, {server.endpoint()})});
  EXPECT_EQ(state_of(key), State::kUnavailable);
  EXPECT_EQ(published.back().state, State::kUnavailable);
  const int seen = server.requests();
  test::run_for(io, milliseconds(250));
  EXPECT_EQ(server.requests(), seen);
}

TEST_F(CheckerTest, HealthCheckPortOverridesTheTrafficPort) {
  TestServer server(io, TestServer::Mode::kRespond, 200);
  const auto traffic = test::closed_endpoint(io);  // traffic port: nothing listens
  auto check = fast_check();
  check.port = server.port();
  checker.update({group_of("app", check, {traffic})});
  const std::string key = key_of("app", traffic);
  ASSERT_TRUE(wait_state(key, State::kHealthy));
  EXPECT_NE(server.last_request().find("Host: 127.0.0.1:" + std::to_string(server.port())),
            std::string::npos);
}

TEST_F(CheckerTest, GroupsHaveTheirOwnSettingsAndDuplicateKeysAreCheckedOnce) {
  TestServer ok(io, TestServer::Mode::kRespond, 200);
  TestServer teapot(io, TestServer::Mode::kRespond, 418);
  auto lenient = fast_check();
  lenient.matcher = {{200, 499}};
  auto group_a = group_of("a", fast_check(), {ok.endpoint(), teapot.endpoint()});
  group_a.targets.push_back(group_a.targets[0]);  // listed twice
  checker.update({group_a, group_of("b", lenient, {teapot.endpoint()})});
  EXPECT_EQ(checker.size(), 3u);
  EXPECT_EQ(published.size(), 3u);
  ASSERT_TRUE(wait_state(key_of("a", ok.endpoint()), State::kHealthy));
  ASSERT_TRUE(wait_state(key_of("a", teapot.endpoint()), State::kUnhealthy));
  ASSERT_TRUE(wait_state(key_of("b", teapot.endpoint()), State::kHealthy));
  EXPECT_EQ(checker.find(key_of("a", teapot.endpoint()))->description(),
            "Health checks failed with these codes: [418]");
}

TEST_F(CheckerTest, StopEndsEveryLoop) {
  TestServer server(io, TestServer::Mode::kRespond, 200);
  checker.update({group_of("app", fast_check(), {server.endpoint()})});
  ASSERT_TRUE(test::run_until(
      io, [&] { return server.requests() >= 1; }, milliseconds(500)));
  checker.stop();
  EXPECT_EQ(checker.size(), 0u);
  const int seen = server.requests();
  test::run_for(io, milliseconds(250));
  EXPECT_EQ(server.requests(), seen);
}

TEST(CheckerLifetime, DestroyedBeforeTheLoopsRanAndWhileProbing) {
  asio::io_context io;
  TestServer silent(io, TestServer::Mode::kSilent);
  int publishes = 0;
  std::vector<std::string> failures;
  auto count = [&](const std::string&, const TargetHealth&, bool) { ++publishes; };
  auto report = [&](std::string_view what, std::exception_ptr) { failures.emplace_back(what); };
  {
    Checker never_ran(io, count, report);
    never_ran.update({group_of("a", fast_check(), {silent.endpoint()})});
    never_ran.update({});  // removed before its loop started
  }
  {
    Checker probing(io, count, report);
    probing.update(
        {group_of("b", fast_check(milliseconds(400), milliseconds(300)), {silent.endpoint()})});
    ASSERT_TRUE(test::run_until(
        io, [&] { return silent.requests() == 1; }, milliseconds(1000)));
  }  // destroyed with a probe in flight
  test::run_for(io, milliseconds(100));
  EXPECT_EQ(publishes, 2);  // the two initial states, nothing after
  EXPECT_TRUE(failures.empty());
}

}  // namespace
}  // namespace tern::health
