// Listeners, round robin over a target group, and the upstream keep-alive pool.
#include <atomic>
#include <set>
#include <string>
#include <thread>

#include "tests/integration/harness.hpp"

namespace tern::test {
namespace {

class Balancing : public TernTest {};

TEST_F(Balancing, RoundRobinAlternatesBetweenTwoTargets) {
  Backend b1("b1");
  Backend b2("b2");
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1.address(), b2.address()})));
  Client c(port_);
  std::vector<std::string> seen;
  for (int i = 0; i < 10; ++i) {
    const Response r = c.get("/");
    ASSERT_EQ(r.status, 200) << r.describe();
    seen.push_back(r.header("X-Backend").value_or("?"));
  }
  for (size_t i = 1; i < seen.size(); ++i) {
    EXPECT_NE(seen[i], seen[i - 1]) << "request " << i << " went to the same target twice";
  }
  // Fresh connections land on either worker: the rotation is the process's, not the
  // worker's, so the split stays exact.
  int count_b1 = 0;
  for (int i = 0; i < 40; ++i) {
    const Response r = simple_get(port_, "/");
    ASSERT_EQ(r.status, 200) << r.describe();
    count_b1 += r.header("X-Backend") == "b1" ? 1 : 0;
  }
  EXPECT_EQ(count_b1, 20);
}

TEST_F(Balancing, RoundRobinIsExactAcrossWorkersUnderConcurrency) {
  Backend b1("b1"), b2("b2"), b3("b3");
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1.address(), b2.address(), b3.address()})));
  std::vector<std::thread> clients;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&] {
      Client c(port_);
      for (int i = 0; i < 150; ++i) failures += c.get("/").status == 200 ? 0 : 1;
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(b1.request_count(), 200U);
  EXPECT_EQ(b2.request_count(), 200U);
  EXPECT_EQ(b3.request_count(), 200U);
}

TEST_F(Balancing, LeastOutstandingRequestsAvoidsTheBusyTarget) {
  Backend b1("b1"), b2("b2");
  ConfigSpec spec;
  spec.listeners = {ListenerSpec{}};
  TargetGroupSpec g;
  g.targets = {b1.address(), b2.address()};
  g.extra = {"load_balancing_algorithm: least_outstanding_requests"};
  spec.groups = {g};
  ASSERT_NO_FATAL_FAILURE(start_tern(to_yaml(spec)));
  // Two slow requests in flight, one on each target... then one finishes.
  Client slow1(port_), slow2(port_);
  ASSERT_TRUE(slow1.send(build_request("GET", "/delay/3000", {})));
  ASSERT_TRUE(slow2.send(build_request("GET", "/delay/300", {})));
  ASSERT_TRUE(b1.wait_for_requests(1, Millis(5000)));
  ASSERT_TRUE(b2.wait_for_requests(1, Millis(5000)));
  const std::string busy = b1.requests()[0].target == "/delay/3000" ? "b1" : "b2";
  ASSERT_EQ(slow2.read_response().status, 200);
  // tern counts the request finished just after its last byte went out: let it.
  std::this_thread::sleep_for(Millis(100));
  // While one target has a request in flight, every new request goes to the other (round
  // robin would alternate).
  Client c(port_);
  for (int i = 0; i < 10; ++i) {
    const Response r = c.get("/");
    ASSERT_EQ(r.status, 200) << r.describe();
    EXPECT_NE(r.header("X-Backend"), busy) << i;
  }
  ASSERT_EQ(slow1.read_response().status, 200);
  // Idle again: ties rotate.
  std::set<std::string> seen;
  for (int i = 0; i < 4; ++i) seen.insert(c.get("/").header("X-Backend").value_or("?"));
  EXPECT_EQ(seen.size(), 2U);
}

TEST_F(Balancing, WeightedRandomSpreadsWithoutARotation) {
  Backend b1("b1"), b2("b2"), b3("b3");
  ConfigSpec spec;
  spec.listeners = {ListenerSpec{}};
  TargetGroupSpec g;
  g.targets = {b1.address(), b2.address(), b3.address()};
  g.extra = {"load_balancing_algorithm: weighted_random"};
  spec.groups = {g};
  ASSERT_NO_FATAL_FAILURE(start_tern(to_yaml(spec)));
  Client c(port_);
  int repeats = 0;
  std::string last;
  for (int i = 0; i < 600; ++i) {
    const Response r = c.get("/");
    ASSERT_EQ(r.status, 200) << r.describe();
    repeats += r.header("X-Backend") == last ? 1 : 0;
    last = r.header("X-Backend").value_or("?");
  }
  for (const Backend* b : {&b1, &b2, &b3}) {
    EXPECT_GT(b->request_count(), 140U) << b->name();  // 200 expected; 5 sigma is ~55
    EXPECT_LT(b->request_count(), 260U) << b->name();
  }
  EXPECT_GT(repeats, 120) << "a rotation never repeats; random repeats a third of the time";
}

TEST_F(Balancing, SlowStartBeginsWhenANewTargetTurnsHealthy) {
  Backend b1("b1"), b2("b2");
  ConfigSpec spec;
  spec.top = {"workers: 1", "admin: { bind: \"127.0.0.1:0\" }"};
  spec.listeners = {ListenerSpec{}};
  TargetGroupSpec g;
  g.targets = {b1.address()};
  g.extra = {"slow_start: 60s",
             "health_check: { interval: 2s, timeout: 1s, healthy_threshold: 2, "
             "unhealthy_threshold: 2 }"};
  spec.groups = {g};
  ASSERT_NO_FATAL_FAILURE(start_tern(to_yaml(spec)));
  ASSERT_TRUE(tern_->wait_for_line(
      "127.0.0.1:" + std::to_string(b1.port()) + " of \"app\" is healthy", Millis(9000)))
      << tern_->log();
  g.targets = {b1.address(), b2.address()};
  spec.groups = {g};
  tern_->rewrite_config(to_yaml(spec));
  const size_t mark = tern_->mark();
  ASSERT_EQ(tern_->reload(), ReloadOutcome::kReloaded) << tern_->log();
  // While b2 is `initial` and b1 healthy, b2 gets nothing; once healthy, it ramps.
  Client c(port_);
  for (int i = 0; i < 50; ++i) ASSERT_EQ(c.get("/").status, 200);
  EXPECT_EQ(b2.request_count(), 0U);
  ASSERT_TRUE(tern_->wait_for_line("starts a 60 s slow start", Millis(9000), mark)) << tern_->log();
  for (int i = 0; i < 400; ++i) ASSERT_EQ(c.get("/").status, 200);
  EXPECT_GE(b2.request_count(), 1U);
  EXPECT_LE(b2.request_count(), 40U);
}

TEST_F(Balancing, SlowStartRampsANewTargetUp) {
  Backend b1("b1"), b2("b2");
  ConfigSpec spec;
  spec.top = {"workers: 1"};
  spec.listeners = {ListenerSpec{}};
  TargetGroupSpec g;
  g.targets = {b1.address()};
  // Without health checks a target ramps from its registration.
  g.extra = {"slow_start: 60s", "health_check: { enabled: false }"};
  spec.groups = {g};
  ASSERT_NO_FATAL_FAILURE(start_tern(to_yaml(spec)));
  g.targets = {b1.address(), b2.address()};
  spec.groups = {g};
  tern_->rewrite_config(to_yaml(spec));
  ASSERT_EQ(tern_->reload(), ReloadOutcome::kReloaded) << tern_->log();
  // Seconds into a 60 s ramp, the new target has a few percent of the traffic, not half.
  Client c(port_);
  for (int i = 0; i < 400; ++i) ASSERT_EQ(c.get("/").status, 200);
  EXPECT_GE(b2.request_count(), 1U) << "a ramping target is never starved";
  EXPECT_LE(b2.request_count(), 40U);
  // Targets present at start-up get their full share at once (ALB).
  Backend b3("b3"), b4("b4");
  g.targets = {b3.address(), b4.address()};
  spec.groups = {g};
  TernProcess fresh(to_yaml(spec));
  ASSERT_TRUE(fresh.wait_ready(Millis(15000))) << fresh.log();
  Client c2(fresh.port("http", Millis(2000)));
  for (int i = 0; i < 100; ++i) ASSERT_EQ(c2.get("/").status, 200);
  EXPECT_EQ(b3.request_count(), 50U);
  EXPECT_EQ(b4.request_count(), 50U);
}

TEST_F(Balancing, SeveralListenersEachWithItsGroup) {
  Backend b1("b1");
  Backend b2("b2");
  ConfigSpec spec;
  ListenerSpec a;
  a.name = "a";
  a.target_group = "ga";
  ListenerSpec b;
  b.name = "b";
  b.target_group = "gb";
  spec.listeners = {a, b};
  TargetGroupSpec ga;
  ga.name = "ga";
  ga.targets = {b1.address()};
  TargetGroupSpec gb;
  gb.name = "gb";
  gb.targets = {b2.address()};
  spec.groups = {ga, gb};
  ASSERT_NO_FATAL_FAILURE(start_tern(to_yaml(spec), {}, "a"));
  const uint16_t port_b = tern_->port("b");
  ASSERT_NE(port_b, 0);
  EXPECT_NE(port_b, port_);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(simple_get(port_, "/").header("X-Backend"), "b1");
    EXPECT_EQ(simple_get(port_b, "/").header("X-Backend"), "b2");
  }
}

TEST_F(Balancing, UpstreamKeepAliveIsReused) {
  Backend b1("b1");
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1.address()})));
  Client c(port_);
  for (int i = 0; i < 30; ++i) ASSERT_EQ(c.get("/").status, 200);
  // One client connection stays on one worker: one pooled upstream connection.
  EXPECT_LE(b1.connections_accepted(), 2U);
  for (int i = 0; i < 30; ++i) ASSERT_EQ(simple_get(port_, "/").status, 200);
  // New client connections land on either worker; each worker reuses its own pool.
  EXPECT_LE(b1.connections_accepted(), 6U)
      << "60 requests, " << b1.connections_accepted() << " upstream connections";
  EXPECT_EQ(b1.request_count(), 60U);
}

TEST_F(Balancing, IdleConnectionClosedByTargetIsNotHandedOut) {
  Backend b1("b1");
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1.address()})));
  Client c(port_);
  int failures = 0;
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(c.get("/").status, 200);
    // The target's keep-alive timeout fires: it closes the pooled connection.
    ASSERT_TRUE(b1.wait_for_idle_connections(1, Millis(5000)));
    ASSERT_EQ(b1.close_idle_connections(), 1U);
    ASSERT_TRUE(b1.wait_for_open_connections_at_most(0, Millis(5000)));
    const Response r = c.get("/echo");
    if (r.status != 200) {
      ++failures;
      ADD_FAILURE() << "round " << i << ": " << r.describe();
      if (!r.ok()) c = Client(port_);
    }
  }
  EXPECT_EQ(failures, 0);
}

TEST_F(Balancing, TargetClosingRightAfterAResponseCausesNoError) {
  Backend b1("b1");
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1.address()})));
  Client c(port_);
  for (int i = 0; i < 20; ++i) {
    // The target answers without announcing a close, then closes (RFC 9112 section 9.6
    // allows it): the next request must not be sent on that connection, or be retried.
    const Response first = c.get("/close?silent=1");
    ASSERT_EQ(first.status, 200) << "round " << i << ": " << first.describe();
    ASSERT_TRUE(b1.wait_for_open_connections_at_most(0, Millis(5000)));
    const Response second = c.get("/");
    ASSERT_EQ(second.status, 200) << "round " << i << ": " << second.describe();
  }
}

TEST_F(Balancing, IdempotentRequestOnAStalePooledConnectionIsSentAgain) {
  Backend b1("b1");
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1.address()}, {}, {"workers: 1"})));
  Client c(port_);
  ASSERT_EQ(c.get("/drop-next").status, 200);
  // The pooled connection takes this GET and closes without answering: tern sends the
  // GET once more on a new connection (RFC 9110 section 9.2.2: idempotent).
  const Response r = c.get("/echo", {}, with_timeout(Millis(5000)));
  EXPECT_EQ(r.status, 200) << r.describe();
  EXPECT_EQ(b1.request_count(), 3U);
  EXPECT_EQ(b1.connections_accepted(), 2U);
}

TEST_F(Balancing, NonIdempotentRequestOnAStalePooledConnectionIsNotReplayed) {
  Backend b1("b1");
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1.address()}, {}, {"workers: 1"})));
  Client c(port_);
  ASSERT_EQ(c.get("/drop-next").status, 200);
  const Response r =
      c.request(build_request("POST", "/sha256", {}, "pay once"), with_timeout(Millis(5000)));
  EXPECT_EQ(r.status, 502) << r.describe();
  size_t posts = 0;
  for (const auto& req : b1.requests()) posts += req.method == "POST" ? 1 : 0;
  EXPECT_EQ(posts, 1U) << "a POST was sent twice";
}

TEST_F(Balancing, ConnectFailureKeepsTheClientConnection) {
  Fd refused = bind_unlistened("127.0.0.1");
  const std::string target = "127.0.0.1:" + std::to_string(local_port(refused.get()));
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({target})));
  Client c(port_);
  for (int i = 0; i < 3; ++i) {
    const Response r = c.get("/");
    ASSERT_EQ(r.status, 502) << "request " << i << ": " << r.describe();
    EXPECT_FALSE(r.closes()) << "a failed upstream connect closed the client connection";
  }
}

TEST_F(Balancing, ConnectFailureIsRetriedOnAnotherTarget) {
  Backend b1("b1");
  Fd refused = bind_unlistened("127.0.0.1");
  const std::string dead = "127.0.0.1:" + std::to_string(local_port(refused.get()));
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({dead, b1.address()})));
  Client c(port_);
  for (int i = 0; i < 6; ++i) {
    const Response r = c.get("/");
    EXPECT_EQ(r.status, 200) << "request " << i << ": " << r.describe();
    if (!r.ok()) c = Client(port_);
  }
  EXPECT_EQ(b1.request_count(), 6U);
}

}  // namespace
}  // namespace tern::test
