// SIGHUP: a valid file is applied, an invalid one is rejected with its errors and the old
// config keeps serving, listeners open and close, and nothing is lost under load.
#include <signal.h>

#include <atomic>

#include "tests/integration/harness.hpp"

namespace tern::test {
namespace {

class Reload : public TernTest {};

TEST_F(Reload, NewTargetsApplyToNewAndOpenConnections) {
  Backend b1("b1");
  Backend b2("b2");
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1.address()})));
  Client open_conn(port_);
  ASSERT_EQ(open_conn.get("/").header("X-Backend"), "b1");
  tern_->rewrite_config(simple_config({b2.address()}));
  ASSERT_EQ(tern_->reload(), ReloadOutcome::kReloaded);
  // "A rule change applies to every request that starts after the reload, also on
  // connections opened before it" (spec).
  EXPECT_EQ(open_conn.get("/").header("X-Backend"), "b2");
  for (int i = 0; i < 4; ++i) EXPECT_EQ(simple_get(port_, "/").header("X-Backend"), "b2");
}

TEST_F(Reload, InvalidConfigIsRejectedAndTheOldOneKeepsServing) {
  Backend b1("b1");
  Backend b2("b2");
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1.address()})));
  const size_t mark = tern_->mark();
  tern_->rewrite_config(
      "workers: 2\n"
      "listeners:\n"
      "  - name: http\n"
      "    bind: 127.0.0.1:0\n"
      "    idle_timout: 5s\n"
      "    default_action: { forward: { target_group: app } }\n"
      "target_groups:\n"
      "  - name: app\n"
      "    targets: [" +
      b2.address() + "]\n");
  ASSERT_EQ(tern_->reload(), ReloadOutcome::kRejected);
  EXPECT_TRUE(tern_->wait_for_line(tern_->config_path() + ":5:5: ", Millis(2000), mark))
      << "the error is logged as FILE:LINE:COL: message";
  for (int i = 0; i < 4; ++i) EXPECT_EQ(simple_get(port_, "/").header("X-Backend"), "b1");
  EXPECT_EQ(b2.request_count(), 0U);
  // A fixed file is taken on the next SIGHUP.
  tern_->rewrite_config(simple_config({b2.address()}));
  ASSERT_EQ(tern_->reload(), ReloadOutcome::kReloaded);
  EXPECT_EQ(simple_get(port_, "/").header("X-Backend"), "b2");
}

TEST_F(Reload, SteadyLoadDuringRepeatedReloadsLosesNoRequest) {
  Backend b1("b1");
  Backend b2("b2");
  const std::string one = simple_config({b1.address()});
  const std::string two = simple_config({b1.address(), b2.address()});
  ASSERT_NO_FATAL_FAILURE(start_tern(one));
  std::atomic<bool> stop{false};
  std::atomic<int> ok{0};
  std::atomic<int> failed{0};
  std::mutex failures_mu;
  std::vector<std::string> failures;
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      std::unique_ptr<Client> c;
      for (int i = 0; !stop; ++i) {
        // Mostly keep-alive, with a fresh connection every few requests.
        if (!c || i % 5 == 0) c = Client::try_connect(port_, Millis(2000));
        const Response r = c ? c->get("/echo?t=" + std::to_string(t)) : Response{};
        if (r.status == 200) {
          ++ok;
        } else {
          ++failed;
          std::lock_guard lock(failures_mu);
          failures.push_back(c ? r.describe() : "connect failed");
          c.reset();
        }
      }
    });
  }
  for (int i = 0; i < 10; ++i) {
    // Let at least 100 more requests through between two reloads.
    const int target = ok.load() + 100;
    ASSERT_TRUE(
        eventually([&] { return ok.load() >= target || failed.load() > 20; }, Millis(10000)));
    tern_->rewrite_config(i % 2 == 0 ? two : one);
    EXPECT_EQ(tern_->reload(), ReloadOutcome::kReloaded) << "reload " << i;
  }
  stop = true;
  for (auto& t : clients) t.join();
  EXPECT_EQ(failed.load(), 0) << (failures.empty() ? "" : failures.front());
  EXPECT_GE(ok.load(), 1000);
  EXPECT_GT(b2.request_count(), 0U);
}

TEST_F(Reload, ListenersOpenAndCloseWhileUnchangedOnesKeepTheirPort) {
  Backend b1("b1");
  ConfigSpec spec;
  ListenerSpec a;
  a.name = "a";
  ListenerSpec b;
  b.name = "b";
  TargetGroupSpec g;
  g.targets = {b1.address()};
  spec.listeners = {a, b};
  spec.groups = {g};
  ASSERT_NO_FATAL_FAILURE(start_tern(to_yaml(spec), {}, "a"));
  const uint16_t port_a = port_;
  const uint16_t port_b = tern_->port("b");
  ASSERT_NE(port_b, 0);
  Client on_a(port_a);
  ASSERT_EQ(on_a.get("/").status, 200);

  ListenerSpec c;
  c.name = "c";
  spec.listeners = {a, c};
  tern_->rewrite_config(to_yaml(spec));
  const size_t mark = tern_->mark();
  ASSERT_EQ(tern_->reload(), ReloadOutcome::kReloaded);
  const uint16_t port_c = tern_->port("c", Millis(5000), mark);
  ASSERT_NE(port_c, 0) << "no listening line for the new listener";
  EXPECT_EQ(simple_get(port_c, "/").status, 200);
  // "a" kept its socket: same port, open connections and new ones served.
  EXPECT_EQ(on_a.get("/").status, 200);
  EXPECT_EQ(simple_get(port_a, "/").status, 200);
  // "b" stops accepting.
  EXPECT_TRUE(eventually(
      [&] {
        int err = 0;
        return Client::try_connect(port_b, Millis(500), &err) == nullptr && err == ECONNREFUSED;
      },
      Millis(10000)))
      << "removed listener still accepts connections";
}

TEST_F(Reload, RapidSighupsAreSafe) {
  Backend b1("b1");
  Backend b2("b2");
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1.address()})));
  const size_t mark = tern_->mark();
  tern_->rewrite_config(simple_config({b2.address()}));
  for (int i = 0; i < 20; ++i) tern_->signal(SIGHUP);
  EXPECT_TRUE(tern_->wait_for_line("reloaded configuration", Millis(10000), mark));
  EXPECT_TRUE(eventually([&] { return simple_get(port_, "/").header("X-Backend") == "b2"; },
                         Millis(10000)));
  EXPECT_TRUE(tern_->running());
  EXPECT_EQ(simple_get(port_, "/").status, 200);
}

TEST_F(Reload, ReloadThatCannotBindIsRejectedWhole) {
  Backend b1("b1");
  Backend b2("b2");
  Backend occupant("occupant");
  ConfigSpec spec;
  ListenerSpec a;
  TargetGroupSpec g;
  g.targets = {b1.address()};
  spec.listeners = {a};
  spec.groups = {g};
  ASSERT_NO_FATAL_FAILURE(start_tern(to_yaml(spec)));
  // The new file changes the targets and adds a listener whose address is taken: all or
  // nothing, so the targets stay as they were.
  ListenerSpec taken;
  taken.name = "taken";
  taken.bind = occupant.address();
  spec.listeners = {a, taken};
  spec.groups[0].targets = {b2.address()};
  tern_->rewrite_config(to_yaml(spec));
  EXPECT_EQ(tern_->reload(), ReloadOutcome::kRejected);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(simple_get(port_, "/").header("X-Backend"), "b1");
  EXPECT_EQ(occupant.request_count(), 0U);
}

TEST_F(Reload, ChangedListenerLimitsApplyToNewRequests) {
  Backend b1("b1");
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1.address()})));
  const std::string body(2000, 'x');
  Client c(port_);
  ASSERT_EQ(c.request(build_request("POST", "/sha256", {}, body)).status, 200);
  tern_->rewrite_config(simple_config({b1.address()}, {"limits: { max_body_bytes: 1000 }"}));
  ASSERT_EQ(tern_->reload(), ReloadOutcome::kReloaded);
  EXPECT_EQ(simple_get(port_, "/").status, 200);
  Client fresh(port_);
  EXPECT_EQ(fresh.request(build_request("POST", "/sha256", {}, body)).status, 413);
  EXPECT_EQ(c.request(build_request("POST", "/sha256", {}, body)).status, 413)
      << "the open connection kept the old limits";
}

TEST_F(Reload, RemovedListenerFinishesItsInFlightRequest) {
  Backend b1("b1");
  ConfigSpec spec;
  ListenerSpec a;
  a.name = "a";
  ListenerSpec b;
  b.name = "b";
  TargetGroupSpec g;
  g.targets = {b1.address()};
  spec.listeners = {a, b};
  spec.groups = {g};
  ASSERT_NO_FATAL_FAILURE(start_tern(to_yaml(spec), {}, "b"));
  Client on_b(port_);
  ASSERT_TRUE(on_b.send(build_request("GET", "/delay/700", {})));
  ASSERT_TRUE(b1.wait_for_requests(1, Millis(5000)));
  spec.listeners = {a};
  tern_->rewrite_config(to_yaml(spec));
  ASSERT_EQ(tern_->reload(), ReloadOutcome::kReloaded);
  const Response r = on_b.read_response(with_timeout(Millis(5000)));
  EXPECT_EQ(r.status, 200) << r.describe();
  EXPECT_EQ(r.body, "delayed 700\n");
  EXPECT_TRUE(on_b.wait_closed(Millis(5000))) << "connection of a removed listener left open";
}

}  // namespace
}  // namespace tern::test
