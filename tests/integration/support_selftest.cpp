// Self-tests of the test support code (backend, client, pattern), without tern: the
// oracle must be right before it judges anyone.
#include <gtest/gtest.h>

#include <cerrno>

#include "tests/support/backend.hpp"
#include "tests/support/client.hpp"
#include "tests/support/config_text.hpp"
#include "tests/support/pattern.hpp"
#include "tests/support/sha256.hpp"

namespace tern::test {
namespace {

TEST(SupportSelfTest, Sha256OfKnownInputs) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(pattern_sha256(100000), sha256_hex(pattern_string(100000)));
}

TEST(SupportSelfTest, HelloAndRecordedRequest) {
  Backend b("b1");
  const Response r = simple_get(b.port(), "/", {{"X-Test", "1"}, {"X-Test", "2"}});
  ASSERT_TRUE(r.ok()) << r.describe();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello from b1\n");
  EXPECT_EQ(r.header("X-Backend"), "b1");
  ASSERT_EQ(b.request_count(), 1U);
  const auto req = *b.last_request();
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(req.target, "/");
  EXPECT_EQ(req.version, "HTTP/1.1");
  EXPECT_EQ(req.header_all("x-test"), (std::vector<std::string>{"1", "2"}));
  EXPECT_TRUE(req.complete);
}

TEST(SupportSelfTest, KeepAliveAndPipelining) {
  Backend b("b1");
  Client c(b.port());
  for (int i = 0; i < 3; ++i) ASSERT_EQ(c.get("/echo").status, 200);
  const std::string three = build_request("GET", "/delay/50", {}) +
                            build_request("GET", "/bytes/5", {}) +
                            build_request("GET", "/status/201", {});
  ASSERT_TRUE(c.send(three));
  EXPECT_EQ(c.read_response().body, "delayed 50\n");
  EXPECT_EQ(c.read_response().body, pattern_string(5));
  EXPECT_EQ(c.read_response().status, 201);
  EXPECT_EQ(b.connections_accepted(), 1U);
  EXPECT_EQ(b.request_count(), 6U);
}

TEST(SupportSelfTest, LargeBodiesBothWays) {
  Backend b("b1");
  Client c(b.port());
  ReadOptions hash_only;
  hash_only.store_body = false;
  const uint64_t n = 8 * 1024 * 1024 + 7;
  Response r = c.get("/bytes/" + std::to_string(n), {}, hash_only);
  ASSERT_TRUE(r.ok()) << r.describe();
  EXPECT_EQ(r.body_size, n);
  EXPECT_EQ(r.body_sha256, pattern_sha256(n));
  r = c.get("/chunked/" + std::to_string(n) + "?trailers=1&chunk=10000", {}, hash_only);
  ASSERT_TRUE(r.ok()) << r.describe();
  EXPECT_TRUE(r.chunked);
  EXPECT_EQ(r.body_sha256, pattern_sha256(n));
  EXPECT_EQ(find_header(r.trailers, "X-Checksum"), pattern_sha256(n));
  for (const bool chunked : {false, true}) {
    UploadOptions up;
    up.size = n;
    up.chunked = chunked;
    up.trailers = {{"X-Sent", "yes"}};
    const UploadResult u = c.upload(up);
    ASSERT_TRUE(u.response.ok()) << u.response.describe();
    EXPECT_EQ(u.sent_sha256, pattern_sha256(n));
    EXPECT_EQ(u.response.header("X-Body-Sha256"), u.sent_sha256);
    EXPECT_EQ(u.response.header("X-Body-Size"), std::to_string(n));
  }
  EXPECT_EQ(find_header(b.last_request()->trailers, "X-Sent"), "yes");
}

TEST(SupportSelfTest, ExpectContinueAndInterimResponses) {
  Backend b("b1");
  Client c(b.port());
  UploadOptions up;
  up.size = 1000;
  up.expect_continue = true;
  const UploadResult u = c.upload(up);
  EXPECT_TRUE(u.got_continue);
  EXPECT_EQ(u.response.status, 200);
  Response r = c.get("/103");
  ASSERT_EQ(r.interim.size(), 1U);
  EXPECT_EQ(r.interim[0].status, 103);
  EXPECT_EQ(r.interim[0].header("Link"), "</style.css>; rel=preload");
  EXPECT_EQ(r.body, "final after 103\n");
  r = c.get("/100");
  ASSERT_EQ(r.interim.size(), 1U);
  EXPECT_EQ(r.status, 200);
}

TEST(SupportSelfTest, HeadAnd204And304Framing) {
  Backend b("b1");
  Client c(b.port());
  ReadOptions head;
  head.head = true;
  Response r = c.request(build_request("HEAD", "/bytes/100", {}), head);
  EXPECT_EQ(r.header("Content-Length"), "100");
  EXPECT_EQ(r.body_size, 0U);
  r = c.get("/status/204");
  EXPECT_EQ(r.status, 204);
  r = c.get("/status/304");
  EXPECT_EQ(r.status, 304);
  EXPECT_EQ(r.header("Content-Length"), "12");
  r = c.get("/");
  EXPECT_EQ(r.body, "hello from b1\n");
}

TEST(SupportSelfTest, FailureBehaviours) {
  Backend b("b1");
  {
    Client c(b.port());
    const Response r = c.get("/reset");
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.io, IoStatus::kReset) << r.describe();
  }
  {
    Client c(b.port());
    const Response r = c.get("/garbage");
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.error, "");
  }
  {
    Client c(b.port());
    const Response r = c.get("/close");
    EXPECT_TRUE(r.closes());
    EXPECT_TRUE(c.wait_closed(Millis(2000)));
  }
  {
    Client c(b.port());
    ASSERT_EQ(c.get("/").status, 200);
    ASSERT_TRUE(b.wait_for_idle_connections(1, Millis(2000)));
    ASSERT_EQ(b.close_idle_connections(), 1U);
    EXPECT_TRUE(c.wait_closed(Millis(2000)));
  }
  {
    Client c(b.port());
    ReadOptions quick;
    quick.timeout = Millis(200);
    const Response r = c.get("/hang", {}, quick);
    EXPECT_EQ(r.io, IoStatus::kTimeout);
  }
  Fd unlistened = bind_unlistened("127.0.0.1");
  int err = 0;
  EXPECT_EQ(Client::try_connect(local_port(unlistened.get()), Millis(1000), &err), nullptr);
  EXPECT_EQ(err, ECONNREFUSED);
}

TEST(SupportSelfTest, MalformedRequestIsRecordedWithError) {
  Backend b("b1");
  Client c(b.port());
  const Response r = c.request("GET / HTTP/1.1\r\nHost: x\r\nBad Name: v\r\n\r\n");
  EXPECT_EQ(r.status, 400);
  ASSERT_EQ(b.request_count(), 1U);
  EXPECT_NE(b.last_request()->error, "");
}

TEST(SupportSelfTest, ConfigText) {
  const std::string yaml = simple_config({"127.0.0.1:1", "127.0.0.1:2"}, {"idle_timeout: 1s"});
  EXPECT_EQ(yaml,
            "workers: 2\n"
            "listeners:\n"
            "  - name: http\n"
            "    bind: 127.0.0.1:0\n"
            "    idle_timeout: 1s\n"
            "    default_action: { forward: { target_group: app } }\n"
            "target_groups:\n"
            "  - name: app\n"
            "    targets: [127.0.0.1:1, 127.0.0.1:2]\n");
}

}  // namespace
}  // namespace tern::test
