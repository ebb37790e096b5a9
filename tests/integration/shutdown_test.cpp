// SIGTERM/SIGINT: stop accepting, finish in-flight requests (Connection: close), close idle
// keep-alives, exit 0 within shutdown_timeout.
#include <signal.h>

#include <cerrno>
#include <mutex>
#include <set>

#include "tests/integration/harness.hpp"

namespace tern::test {
namespace {

class Shutdown : public TernTest {};

TEST_F(Shutdown, SigtermDrainsAnInFlightRequestAndExitsZero) {
  Backend b1("b1");
  ASSERT_NO_FATAL_FAILURE(
      start_tern(simple_config({b1.address()}, {}, {"workers: 2", "shutdown_timeout: 10s"})));
  Client idle(port_);
  ASSERT_EQ(idle.get("/").status, 200);
  Client busy(port_);
  ASSERT_TRUE(busy.send(build_request("GET", "/delay/1000", {})));
  ASSERT_TRUE(b1.wait_for_requests(2, Millis(5000)));
  const auto start = Clock::now();
  tern_->signal(SIGTERM);
  EXPECT_TRUE(tern_->wait_for_line("shutting down", Millis(5000)));
  // An idle keep-alive connection is closed.
  EXPECT_TRUE(idle.wait_closed(Millis(5000)));
  // New connections are no longer accepted.
  EXPECT_TRUE(eventually(
      [&] {
        int err = 0;
        auto c = Client::try_connect(port_, Millis(500), &err);
        return c == nullptr || c->get("/", {}, with_timeout(Millis(1000))).status != 200;
      },
      Millis(5000)));
  const Response r = busy.read_response(with_timeout(Millis(8000)));
  EXPECT_EQ(r.status, 200) << r.describe();
  EXPECT_EQ(r.body, "delayed 1000\n");
  EXPECT_TRUE(r.closes()) << "in-flight responses during a drain carry Connection: close";
  const auto code = tern_->wait_exit(Millis(10000));
  ASSERT_TRUE(code.has_value()) << "tern did not exit";
  EXPECT_EQ(*code, 0);
  EXPECT_LE(seconds_since(start), 10.0);
}

TEST_F(Shutdown, SigtermExitsWithinShutdownTimeoutWhenARequestHangs) {
  Backend b1("b1");
  ASSERT_NO_FATAL_FAILURE(
      start_tern(simple_config({b1.address()}, {}, {"workers: 2", "shutdown_timeout: 2s"})));
  Client busy(port_);
  ASSERT_TRUE(busy.send(build_request("GET", "/hang", {})));
  ASSERT_TRUE(b1.wait_for_requests(1, Millis(5000)));
  const auto start = Clock::now();
  tern_->signal(SIGTERM);
  const auto code = tern_->wait_exit(Millis(10000));
  ASSERT_TRUE(code.has_value()) << "tern did not exit";
  EXPECT_EQ(*code, 0);
  EXPECT_GE(seconds_since(start), 1.5) << "the hanging request was not given its budget";
  EXPECT_LE(seconds_since(start), 4.0);
}

TEST_F(Shutdown, SigintStopsToo) {
  Backend b1("b1");
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1.address()})));
  ASSERT_EQ(simple_get(port_, "/").status, 200);
  tern_->signal(SIGINT);
  const auto code = tern_->wait_exit(Millis(10000));
  ASSERT_TRUE(code.has_value()) << "tern did not exit";
  EXPECT_EQ(*code, 0);
}

TEST_F(Shutdown, EveryRequestThatReachedATargetIsAnsweredDuringADrain) {
  Backend b1("b1");
  ASSERT_NO_FATAL_FAILURE(
      start_tern(simple_config({b1.address()}, {}, {"workers: 2", "shutdown_timeout: 10s"})));
  std::atomic<bool> stop{false};
  std::atomic<int> answered_total{0};
  std::mutex mu;
  std::set<std::string> answered;
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      std::unique_ptr<Client> c;
      for (int i = 0; !stop; ++i) {
        if (!c) c = Client::try_connect(port_, Millis(1000));
        if (!c) return;  // no longer accepting
        const std::string target = "/delay/30?id=" + std::to_string(t) + "-" + std::to_string(i);
        const Response r = c->get(target, {}, with_timeout(Millis(8000)));
        if (r.status == 200) {
          std::lock_guard lock(mu);
          answered.insert(target);
          ++answered_total;
        }
        if (!r.ok() || r.closes()) c.reset();
      }
    });
  }
  ASSERT_TRUE(eventually([&] { return answered_total.load() >= 40; }, Millis(10000)));
  tern_->signal(SIGTERM);
  const auto code = tern_->wait_exit(Millis(12000));
  stop = true;
  for (auto& t : clients) t.join();
  ASSERT_TRUE(code.has_value()) << "tern did not exit";
  EXPECT_EQ(*code, 0);
  std::lock_guard lock(mu);
  for (const auto& req : b1.requests()) {
    EXPECT_TRUE(answered.count(req.target)) << req.target << " reached the target, no answer";
  }
}

}  // namespace
}  // namespace tern::test
