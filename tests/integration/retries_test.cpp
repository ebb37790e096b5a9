// Retries beyond ALB: a failed connect moves to another target, an idempotent request
// without a body that a target reset before answering is sent once more to another
// target, a request whose body was sent is never replayed, and a retry budget keeps a
// failing group from multiplying its own load.
#include <atomic>
#include <thread>

#include "tests/integration/harness.hpp"

namespace tern::test {
namespace {

class Retries : public TernTest {
 protected:
  void expect_local_reply(const Response& r, int status) {
    EXPECT_EQ(r.status, status) << r.describe();
    EXPECT_NE(r.header("Server").value_or("").find("tern"), std::string::npos) << r.describe();
  }
};

TEST_F(Retries, ResetIdempotentRequestIsSentToAnotherTarget) {
  Backend b1("b1"), b2("b2");
  ASSERT_NO_FATAL_FAILURE(
      start_tern(simple_config({b1.address(), b2.address()}, {}, {"workers: 1"})));
  // /reset resets on whichever target takes it; the retry goes to the other one, which
  // resets too: 502, and exactly one copy reached each target.
  const Response r = simple_get(port_, "/reset", {}, with_timeout(Millis(5000)));
  expect_local_reply(r, 502);
  EXPECT_EQ(b1.request_count(), 1U);
  EXPECT_EQ(b2.request_count(), 1U);
  // A DELETE is idempotent too; a POST is not: it reaches one target once.
  Client c(port_);
  expect_local_reply(c.request(build_request("DELETE", "/reset", {})), 502);
  EXPECT_EQ(b1.request_count() + b2.request_count(), 4U);
  Client c2(port_);
  expect_local_reply(c2.request(build_request("POST", "/reset", {{"Content-Length", "0"}})), 502);
  EXPECT_EQ(b1.request_count() + b2.request_count(), 5U);
}

TEST_F(Retries, RequestWithABodyIsNeverReplayed) {
  Backend b1("b1"), b2("b2");
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1.address(), b2.address()})));
  Client c(port_);
  expect_local_reply(c.request(build_request("PUT", "/reset", {{"Content-Length", "5"}}, "hello")),
                     502);
  EXPECT_EQ(b1.request_count() + b2.request_count(), 1U);
}

TEST_F(Retries, KilledTargetUnderLoadLosesNoIdempotentRequest) {
  Backend b1("b1"), b2("b2");
  auto b3 = std::make_unique<Backend>("b3");
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1.address(), b2.address(), b3->address()})));
  std::atomic<bool> stop{false};
  std::atomic<int> ok{0}, failed{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&] {
      auto c = std::make_unique<Client>(port_);
      while (!stop) {
        const Response r = c->get("/", {}, with_timeout(Millis(5000)));
        (r.status == 200 ? ok : failed)++;
        if (!r.ok() || r.closes()) c = std::make_unique<Client>(port_);
      }
    });
  }
  std::this_thread::sleep_for(Millis(300));
  b3->stop();  // killed outright: open connections closed, new ones refused
  std::this_thread::sleep_for(Millis(700));
  stop = true;
  for (auto& t : clients) t.join();
  EXPECT_EQ(failed.load(), 0) << ok.load() << " succeeded";
  EXPECT_GT(ok.load(), 100);
}

TEST_F(Retries, BudgetBoundsRetriesToAShareOfTraffic) {
  Backend b1("b1"), b2("b2");
  ASSERT_NO_FATAL_FAILURE(
      start_tern(simple_config({b1.address(), b2.address()}, {}, {"workers: 1"})));
  // Every request fails; without a budget each would be sent twice (200 copies).
  for (int i = 0; i < 100; ++i) {
    expect_local_reply(simple_get(port_, "/reset", {}, with_timeout(Millis(5000))), 502);
  }
  const size_t sent = b1.request_count() + b2.request_count();
  EXPECT_GE(sent, 110U);  // 10 banked retries, then one per five requests
  EXPECT_LE(sent, 135U);
}

}  // namespace
}  // namespace tern::test
