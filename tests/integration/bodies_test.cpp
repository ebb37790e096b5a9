// Bodies both ways, streamed: 100 MiB with matching SHA-256 and bounded RSS, trailers,
// Expect: 100-continue, and the framing of HEAD, 1xx, 204 and 304.
#include "tests/integration/harness.hpp"

namespace tern::test {
namespace {

constexpr uint64_t kBig = 100ULL * 1024 * 1024;
// "must not grow its RSS by more than a few MiB" (issue 2).
constexpr uint64_t kMaxGrowthKib = 8 * 1024;

class Bodies : public TernTest {
 protected:
  void SetUp() override {
    b1_ = std::make_unique<Backend>("b1");
    ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1_->address()})));
    // Warm up both directions so pools and buffers exist before the baseline.
    Client c(port_);
    UploadOptions up;
    up.size = 1 << 20;
    ASSERT_EQ(c.upload(up).response.status, 200);
    ASSERT_EQ(c.get("/bytes/1048576", {}, hash_only()).status, 200);
    baseline_kib_ = tern_->rss_kib();
    ASSERT_GT(baseline_kib_, 0U);
  }

  void expect_bounded_rss(uint64_t max_kib) {
    expect_rss_bound(baseline_kib_, max_kib, kMaxGrowthKib);
  }

  void upload(bool chunked) {
    Client c(port_);
    RssSampler rss(*tern_);
    UploadOptions up;
    up.size = kBig;
    up.chunked = chunked;
    up.piece = 256 * 1024;
    up.timeout = Millis(60000);
    const UploadResult u = c.upload(up);
    expect_bounded_rss(rss.stop());
    ASSERT_EQ(u.response.status, 200) << u.error << " " << u.response.describe();
    EXPECT_EQ(u.sent, kBig);
    EXPECT_EQ(u.response.header("X-Body-Sha256"), pattern_sha256(kBig));
    EXPECT_EQ(u.response.header("X-Body-Size"), std::to_string(kBig));
    EXPECT_EQ(b1_->last_request()->body_sha256, pattern_sha256(kBig));
  }

  void download(const std::string& target) {
    Client c(port_);
    RssSampler rss(*tern_);
    const Response r = c.get(target, {}, hash_only());
    expect_bounded_rss(rss.stop());
    ASSERT_EQ(r.status, 200) << r.describe();
    EXPECT_EQ(r.body_size, kBig);
    EXPECT_EQ(r.body_sha256, pattern_sha256(kBig));
    // The connection is still in a sane state afterwards.
    EXPECT_EQ(c.get("/").body, "hello from b1\n");
  }

  std::unique_ptr<Backend> b1_;
  uint64_t baseline_kib_ = 0;
};

TEST_F(Bodies, Upload100MiBContentLength) {
  upload(false);
}
TEST_F(Bodies, Upload100MiBChunked) {
  upload(true);
}
TEST_F(Bodies, Download100MiBContentLength) {
  download("/bytes/" + std::to_string(kBig));
}
TEST_F(Bodies, Download100MiBChunked) {
  download("/chunked/" + std::to_string(kBig) + "?chunk=65536");
}

TEST_F(Bodies, TinyChunksBothWays) {
  Client c(port_);
  const auto start = Clock::now();
  // 100 000 one-byte chunks each way: no per-chunk pathology (quadratic buffers, a write
  // per chunk with a round trip, ...).
  const Response r = c.get("/chunked/100000?chunk=1", {}, with_timeout(Millis(10000)));
  ASSERT_EQ(r.status, 200) << r.describe();
  EXPECT_EQ(r.body_sha256, pattern_sha256(100000));
  UploadOptions up;
  up.size = 100000;
  up.chunked = true;
  up.piece = 1;
  const UploadResult u = c.upload(up);
  ASSERT_EQ(u.response.status, 200) << u.response.describe();
  EXPECT_EQ(u.response.header("X-Body-Sha256"), pattern_sha256(100000));
  EXPECT_LE(seconds_since(start), 10.0);
}

TEST_F(Bodies, ChunkedResponseWithTrailersIsFramedAndKeepsTheConnection) {
  Client c(port_);
  const Response r = c.get("/chunked/100000?trailers=1&chunk=3000", {{"TE", "trailers"}},
                           with_timeout(Millis(5000)));
  ASSERT_EQ(r.status, 200) << r.describe();
  EXPECT_EQ(r.body_sha256, pattern_sha256(100000));
  EXPECT_EQ(c.get("/", {}, with_timeout(Millis(5000))).body, "hello from b1\n");
}

TEST_F(Bodies, ResponseTrailersAreForwarded) {
  Client c(port_);
  const Response r = c.get("/chunked/1000?trailers=1", {{"TE", "trailers"}});
  ASSERT_EQ(r.status, 200) << r.describe();
  EXPECT_EQ(find_header(r.trailers, "X-Checksum"), pattern_sha256(1000)) << r.describe();
  EXPECT_EQ(find_header(r.trailers, "X-Size"), "1000");
}

TEST_F(Bodies, RequestTrailersAreFramedAndForwarded) {
  Client c(port_);
  UploadOptions up;
  up.size = 5000;
  up.chunked = true;
  up.piece = 1000;
  up.trailers = {{"X-Upload-Checksum", "abc"}};
  const UploadResult u = c.upload(up);
  ASSERT_EQ(u.response.status, 200) << u.response.describe();
  EXPECT_EQ(u.response.header("X-Body-Sha256"), pattern_sha256(5000));
  EXPECT_EQ(c.get("/").body, "hello from b1\n");
  EXPECT_EQ(find_header(b1_->last_request()->trailers, "X-Upload-Checksum"), std::nullopt)
      << "sanity: the last request is the GET";
  const auto reqs = b1_->requests();
  EXPECT_EQ(find_header(reqs[reqs.size() - 2].trailers, "X-Upload-Checksum"), "abc");
}

TEST_F(Bodies, ExpectContinueGetsA100ThenTheBodyIsForwarded) {
  Client c(port_);
  UploadOptions up;
  up.size = 1 << 20;
  up.expect_continue = true;
  const UploadResult u = c.upload(up);
  EXPECT_TRUE(u.got_continue) << "no 100 Continue before the body";
  ASSERT_EQ(u.response.status, 200) << u.error << " " << u.response.describe();
  EXPECT_EQ(u.response.header("X-Body-Sha256"), pattern_sha256(1 << 20));
  EXPECT_EQ(b1_->last_request()->header("Expect"), std::nullopt)
      << "docs/config.md: the target gets the body without Expect";
}

TEST_F(Bodies, HeadResponsesHaveNoBody) {
  Client c(port_);
  const ReadOptions head = [] {
    ReadOptions o = head_request();
    o.timeout = Millis(5000);
    return o;
  }();
  Response r = c.request(build_request("HEAD", "/bytes/5000", {}), head);
  ASSERT_EQ(r.status, 200) << r.describe();
  EXPECT_EQ(r.header("Content-Length"), "5000");
  r = c.request(build_request("HEAD", "/chunked/5000", {}), head);
  ASSERT_EQ(r.status, 200) << r.describe();
  // A body sent by mistake would be read as the next response.
  r = c.get("/", {}, with_timeout(Millis(5000)));
  EXPECT_EQ(r.status, 200) << r.describe();
  EXPECT_EQ(r.body, "hello from b1\n");
}

TEST_F(Bodies, InformationalResponsesAreForwardedBeforeTheFinalOne) {
  Client c(port_);
  Response r = c.get("/103", {}, with_timeout(Millis(5000)));
  ASSERT_EQ(r.status, 200) << r.describe();
  EXPECT_EQ(r.body, "final after 103\n");
  ASSERT_EQ(r.interim.size(), 1U) << "103 Early Hints not forwarded (RFC 9110 section 15.2)";
  EXPECT_EQ(r.interim[0].status, 103);
  EXPECT_EQ(r.interim[0].header("Link"), "</style.css>; rel=preload");
  r = c.get("/100", {}, with_timeout(Millis(5000)));
  EXPECT_EQ(r.status, 200) << r.describe();
  EXPECT_EQ(r.body, "final after 100\n");
  EXPECT_EQ(c.get("/", {}, with_timeout(Millis(5000))).body, "hello from b1\n");
}

TEST_F(Bodies, NoContentAndNotModifiedHaveNoBody) {
  Client c(port_);
  Response r = c.get("/status/204", {}, with_timeout(Millis(5000)));
  EXPECT_EQ(r.status, 204) << r.describe();
  // The 304 carries Content-Length: 12 of the representation and no body.
  r = c.get("/status/304", {}, with_timeout(Millis(5000)));
  EXPECT_EQ(r.status, 304) << r.describe();
  r = c.get("/", {}, with_timeout(Millis(5000)));
  EXPECT_EQ(r.status, 200) << r.describe();
  EXPECT_EQ(r.body, "hello from b1\n");
}

}  // namespace
}  // namespace tern::test
