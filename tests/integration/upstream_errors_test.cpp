// Target failures as the client sees them: 502 refused/reset/invalid, 504 connect or
// response timeout, 503 no target (spec "Errors the LB itself returns").
#include "tests/integration/harness.hpp"
#include "tests/support/blackhole.hpp"

namespace tern::test {
namespace {

class UpstreamErrors : public TernTest {
 protected:
  void expect_local_reply(const Response& r, int status) {
    EXPECT_EQ(r.status, status) << r.describe();
    EXPECT_NE(r.header("Server").value_or("").find("tern"), std::string::npos)
        << "local replies identify tern in Server: " << r.describe();
  }
};

TEST_F(UpstreamErrors, RefusedConnectGets502) {
  Fd refused = bind_unlistened("127.0.0.1");
  ASSERT_NO_FATAL_FAILURE(
      start_tern(simple_config({"127.0.0.1:" + std::to_string(local_port(refused.get()))})));
  expect_local_reply(simple_get(port_, "/", {}, with_timeout(Millis(5000))), 502);
}

TEST_F(UpstreamErrors, ResetGets502) {
  Backend b1("b1");
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1.address()})));
  Client c(port_);
  expect_local_reply(c.get("/reset", {}, with_timeout(Millis(5000))), 502);
  EXPECT_GE(b1.request_count(), 1U);
}

TEST_F(UpstreamErrors, InvalidResponseGets502) {
  Backend b1("b1");
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1.address()})));
  Client c(port_);
  expect_local_reply(c.get("/garbage", {}, with_timeout(Millis(5000))), 502);
  // The client connection is not poisoned by the target's garbage.
  if (!c.read_until_close(Millis(0)).data.empty()) ADD_FAILURE() << "bytes after the 502";
}

TEST_F(UpstreamErrors, ConnectTimeoutGets504) {
  // Unanswered SYNs, locally (a non-routable address like 10.255.255.1 is answered by
  // some sandboxes' proxies).
  BlackholeTarget blackhole;
  ASSERT_TRUE(blackhole.ready()) << "could not fill the accept queue of the black hole";
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({blackhole.address()})));
  const auto start = Clock::now();
  const Response r = simple_get(port_, "/", {}, with_timeout(Millis(20000)));
  expect_local_reply(r, 504);
  // The spec's connect timeout is 10 s.
  EXPECT_GE(seconds_since(start), 9.0);
  EXPECT_LE(seconds_since(start), 13.0);
}

TEST_F(UpstreamErrors, NoResponseWithinIdleTimeoutGets504) {
  Backend b1("b1");
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1.address()}, {"idle_timeout: 1s"})));
  const auto start = Clock::now();
  const Response r = simple_get(port_, "/hang", {}, with_timeout(Millis(6000)));
  expect_local_reply(r, 504);
  EXPECT_GE(seconds_since(start), 0.8);
  EXPECT_LE(seconds_since(start), 4.0);
}

TEST_F(UpstreamErrors, TargetStallingMidBodyIsCutAfterTheIdleTimeout) {
  Backend b1("b1");
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1.address()}, {"idle_timeout: 1s"})));
  Client c(port_);
  const auto start = Clock::now();
  // The head and 1000 bytes arrive, then nothing: the status is sent already, so the
  // client connection must be closed with the body visibly incomplete.
  const Response r = c.get("/bytes/100000?stall_after=1000", {}, with_timeout(Millis(6000)));
  EXPECT_EQ(r.status, 200) << r.describe();
  EXPECT_FALSE(r.ok()) << "an incomplete body was presented as complete";
  EXPECT_NE(r.io, IoStatus::kTimeout) << "tern kept the client waiting: " << r.describe();
  EXPECT_LE(seconds_since(start), 4.0);
}

TEST_F(UpstreamErrors, TargetAnnouncingCloseIsNotReused) {
  Backend b1("b1");
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1.address()})));
  Client c(port_);
  for (int i = 0; i < 10; ++i) {
    const Response closing = c.get("/close", {}, with_timeout(Millis(5000)));
    ASSERT_EQ(closing.status, 200) << closing.describe();
    const Response next = c.get("/", {}, with_timeout(Millis(5000)));
    ASSERT_EQ(next.status, 200) << "round " << i << ": " << next.describe();
  }
  EXPECT_GE(b1.connections_accepted(), 10U);
}

TEST_F(UpstreamErrors, NoTargetGets503) {
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({})));
  Client c(port_);
  expect_local_reply(c.get("/", {}, with_timeout(Millis(5000))), 503);
  expect_local_reply(c.get("/", {}, with_timeout(Millis(5000))), 503);
}

}  // namespace
}  // namespace tern::test
