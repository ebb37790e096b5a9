// Client side connections: keep-alive, pipelining, HTTP/1.0, idle timeout.
#include "tests/integration/harness.hpp"

namespace tern::test {
namespace {

class Downstream : public TernTest {};

TEST_F(Downstream, KeepAliveServesManyRequestsOnOneConnection) {
  Backend b1("b1");
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1.address()})));
  Client c(port_);
  for (int i = 0; i < 100; ++i) {
    const Response r = c.get("/echo?i=" + std::to_string(i));
    ASSERT_EQ(r.status, 200) << r.describe();
    ASSERT_FALSE(r.closes());
    ASSERT_NE(r.body.find("target: /echo?i=" + std::to_string(i) + "\n"), std::string::npos);
  }
  EXPECT_EQ(b1.request_count(), 100U);
}

TEST_F(Downstream, PipelinedRequestsAreAnsweredInOrder) {
  Backend b1("b1");
  Backend b2("b2");
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1.address(), b2.address()})));
  Client c(port_);
  // The first is the slowest: a proxy that answers out of order shows it here.
  const std::string three = build_request("GET", "/delay/300", {}) +
                            build_request("POST", "/sha256", {}, "hello") +
                            build_request("GET", "/echo?third", {});
  ASSERT_TRUE(c.send(three));
  const Response r1 = c.read_response();
  const Response r2 = c.read_response();
  const Response r3 = c.read_response();
  EXPECT_EQ(r1.body, "delayed 300\n") << r1.describe();
  EXPECT_EQ(r2.body, sha256_hex("hello") + " 5\n") << r2.describe();
  EXPECT_NE(r3.body.find("target: /echo?third\n"), std::string::npos) << r3.describe();
  EXPECT_EQ(b1.request_count() + b2.request_count(), 3U);
}

TEST_F(Downstream, HundredPipelinedRequestsInOneWrite) {
  Backend b1("b1");
  Backend b2("b2");
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1.address(), b2.address()})));
  Client c(port_);
  std::string all;
  for (int i = 0; i < 100; ++i) {
    all += i % 3 == 0 ? build_request("POST", "/echo?i=" + std::to_string(i), {}, "body")
                      : build_request("GET", "/echo?i=" + std::to_string(i), {});
  }
  ASSERT_TRUE(c.send(all));
  for (int i = 0; i < 100; ++i) {
    const Response r = c.read_response(with_timeout(Millis(5000)));
    ASSERT_EQ(r.status, 200) << "response " << i << ": " << r.describe();
    ASSERT_NE(r.body.find("target: /echo?i=" + std::to_string(i) + "\n"), std::string::npos)
        << "response " << i << " out of order: " << r.body;
  }
}

TEST_F(Downstream, ClientConnectionCloseIsHonoured) {
  Backend b1("b1");
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1.address()})));
  Client c(port_);
  const Response r = c.get("/", {{"Connection", "close"}});
  ASSERT_EQ(r.status, 200) << r.describe();
  EXPECT_TRUE(r.closes()) << r.describe();
  EXPECT_TRUE(c.wait_closed(Millis(3000)));
}

TEST_F(Downstream, AbsoluteFormIsForwardedInOriginForm) {
  Backend b1("b1");
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1.address()})));
  Client c(port_);
  const Response r =
      c.request("GET http://example.com/echo?q=1 HTTP/1.1\r\nHost: example.com\r\n\r\n");
  ASSERT_EQ(r.status, 200) << r.describe();
  // RFC 9112 section 3.2.1: to an origin server, only the origin-form is sent.
  EXPECT_EQ(b1.last_request()->target, "/echo?q=1");
  EXPECT_EQ(b1.last_request()->header_all("Host"), std::vector<std::string>{"example.com"});
  // RFC 9112 section 3.2.2: the authority of an absolute-form target wins over Host.
  const Response other =
      c.request("GET http://example.com/echo HTTP/1.1\r\nHost: other.example\r\n\r\n");
  ASSERT_EQ(other.status, 200) << other.describe();
  EXPECT_EQ(b1.last_request()->header_all("Host"), std::vector<std::string>{"example.com"});
}

TEST_F(Downstream, ClientStallingMidBodyIsCutAfterTheIdleTimeout) {
  Backend b1("b1");
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1.address()}, {"idle_timeout: 1s"})));
  Client c(port_);
  ASSERT_TRUE(
      c.send(build_request("POST", "/sha256", {{"Content-Length", "1000"}}) + "0123456789"));
  const auto start = Clock::now();
  const Client::CloseResult end = c.read_until_close(Millis(5000));
  EXPECT_NE(end.end, IoStatus::kTimeout) << "connection with a stalled body left open";
  EXPECT_LE(seconds_since(start), 4.0);
  EXPECT_EQ(b1.complete_request_count(), 0U);
}

TEST_F(Downstream, Http10ClientGetsItsAnswerAndTheConnectionCloses) {
  Backend b1("b1");
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1.address()})));
  Client c(port_);
  const Response r = c.request("GET /echo HTTP/1.0\r\n\r\n");
  ASSERT_EQ(r.status, 200) << r.describe();
  EXPECT_NE(r.body.find("target: /echo\n"), std::string::npos) << r.describe();
  EXPECT_TRUE(r.closes()) << r.describe();
  EXPECT_TRUE(c.wait_closed(Millis(3000)));
}

TEST_F(Downstream, Http10ClientNeverGetsChunkedFraming) {
  Backend b1("b1");
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1.address()})));
  Client c(port_);
  // RFC 9112 section 7: chunked must not be sent to an HTTP/1.0 recipient; the body is
  // delimited by the close instead (or by a Content-Length).
  const Response r =
      c.request("GET /chunked/50000 HTTP/1.0\r\nHost: x\r\n\r\n", with_timeout(Millis(5000)));
  ASSERT_EQ(r.status, 200) << r.describe();
  EXPECT_FALSE(r.chunked) << r.describe();
  EXPECT_EQ(r.body_size, 50000U);
  EXPECT_EQ(r.body_sha256, pattern_sha256(50000));
}

TEST_F(Downstream, Http10KeepAliveIsHonouredOrClosedCleanly) {
  Backend b1("b1");
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1.address()})));
  Client c(port_);
  const std::string req = "GET / HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n\r\n";
  const Response r = c.request(req);
  ASSERT_EQ(r.status, 200) << r.describe();
  if (r.closes()) {
    EXPECT_TRUE(c.wait_closed(Millis(3000)));
  } else {
    EXPECT_TRUE(header_has_token(r.headers, "Connection", "keep-alive")) << r.describe();
    EXPECT_EQ(c.request(req).status, 200);
  }
}

TEST_F(Downstream, IdleTimeoutClosesAnIdleClient) {
  Backend b1("b1");
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1.address()}, {"idle_timeout: 1s"})));
  Client used(port_);
  ASSERT_EQ(used.get("/").status, 200);
  const auto start = Clock::now();
  Client silent(port_);
  EXPECT_TRUE(used.wait_closed(Millis(4000))) << "idle keep-alive connection not closed";
  const double elapsed = seconds_since(start);
  EXPECT_GE(elapsed, 0.8);
  EXPECT_TRUE(silent.wait_closed(Millis(4000))) << "connection that never sent a byte";
  EXPECT_EQ(b1.request_count(), 1U);
}

TEST_F(Downstream, ClientClosingWithoutRequestIsHarmless) {
  Backend b1("b1");
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1.address()})));
  for (int i = 0; i < 20; ++i) {
    Client c(port_);
    if (i % 2 == 0) {
      c.close_with_reset();
    } else {
      c.send("GET / HT");
      c.close();
    }
  }
  EXPECT_EQ(simple_get(port_, "/").status, 200);
  EXPECT_EQ(b1.request_count(), 1U);
}

}  // namespace
}  // namespace tern::test
