// Concurrency, backpressure and the largest bodies: what a load-test target must survive.
#include <random>

#include "tests/integration/harness.hpp"

namespace tern::test {
namespace {

constexpr uint64_t kMaxGrowthKib = 8 * 1024;

class Load : public TernTest {
 protected:
  void SetUp() override {
    b1_ = std::make_unique<Backend>("b1");
    ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1_->address()})));
    ASSERT_EQ(simple_get(port_, "/bytes/1048576", {}, hash_only()).status, 200);
    baseline_kib_ = tern_->rss_kib();
  }
  std::unique_ptr<Backend> b1_;
  uint64_t baseline_kib_ = 0;
};

TEST_F(Load, ThreeHundredConcurrentConnections) {
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 300; ++i) {
    clients.push_back(std::make_unique<Client>(port_));
    ASSERT_TRUE(clients.back()->send(build_request("GET", "/delay/200", {})));
  }
  int ok = 0;
  for (auto& c : clients) {
    const Response r = c->read_response(with_timeout(Millis(10000)));
    ok += r.status == 200 ? 1 : 0;
  }
  EXPECT_EQ(ok, 300);
  EXPECT_EQ(b1_->request_count(), 301U);  // and the warm-up
}

TEST_F(Load, SlowReaderPushesBackOnTheTarget) {
  const uint64_t size = 300ULL << 20;
  Client c(port_);
  RssSampler rss(*tern_);
  ASSERT_TRUE(c.send(build_request("GET", "/bytes/" + std::to_string(size), {})));
  // The client reads nothing: the target must be stopped by full buffers, not by tern
  // reading everything into memory. Wait until the target makes no progress.
  uint64_t last = 0;
  EXPECT_TRUE(eventually(
      [&] {
        const uint64_t now = b1_->bytes_written();
        const bool stalled = now > 0 && now == last;
        last = now;
        return stalled && (std::this_thread::sleep_for(Millis(200)), b1_->bytes_written() == now);
      },
      Millis(10000)));
  EXPECT_LT(b1_->bytes_written(), 64ULL << 20) << "tern kept reading from the target";
  expect_rss_bound(baseline_kib_, rss.stop(), kMaxGrowthKib);
  const Response r = c.read_response(hash_only());
  ASSERT_EQ(r.status, 200) << r.describe();
  EXPECT_EQ(r.body_sha256, pattern_sha256(size));
}

TEST_F(Load, StalledTargetPushesBackOnTheUploader) {
  Client c(port_);
  RssSampler rss(*tern_);
  UploadOptions up;
  up.target = "/stall";
  up.size = 300ULL << 20;
  up.piece = 256 * 1024;
  up.timeout = Millis(1500);  // "no progress for 1.5 s" ends the upload
  const UploadResult u = c.upload(up);
  EXPECT_EQ(u.error, "send: timeout");
  EXPECT_LT(u.sent, 64ULL << 20) << "tern accepted " << u.sent << " bytes it could not forward";
  expect_rss_bound(baseline_kib_, rss.stop(), kMaxGrowthKib);
}

TEST_F(Load, OneGiBBothWaysInConstantMemory) {
  const uint64_t size = 1ULL << 30;
  Client c(port_);
  RssSampler rss(*tern_);
  UploadOptions up;
  up.size = size;
  up.piece = 1 << 20;
  up.timeout = Millis(60000);
  const UploadResult u = c.upload(up);
  ASSERT_EQ(u.response.status, 200) << u.error << " " << u.response.describe();
  EXPECT_EQ(u.response.header("X-Body-Sha256"), u.sent_sha256);
  const Response r = c.get("/bytes/" + std::to_string(size), {}, hash_only());
  ASSERT_EQ(r.status, 200) << r.describe();
  EXPECT_EQ(r.body_size, size);
  EXPECT_EQ(r.body_sha256, u.sent_sha256) << "same pattern both ways";
  expect_rss_bound(baseline_kib_, rss.stop(), kMaxGrowthKib);
}

TEST_F(Load, RequestArrivingInTinyPiecesIsForwardedExactly) {
  Headers headers;
  for (int i = 0; i < 40; ++i) {
    headers.push_back({"X-Piece-" + std::to_string(i), std::string(20 + i * 3, 'a' + i % 26)});
  }
  headers.push_back({"Transfer-Encoding", "chunked"});
  std::string raw = build_request("POST", "/sha256", headers);
  const std::string body = pattern_string(5000);
  for (size_t off = 0; off < body.size(); off += 700) {
    const std::string piece = body.substr(off, 700);
    char line[32];
    std::snprintf(line, sizeof line, "%zx;ext=1\r\n", piece.size());
    raw += line + piece + "\r\n";
  }
  raw += "0\r\n\r\n";
  Client c(port_);
  std::mt19937 rng(42);
  for (size_t off = 0; off < raw.size();) {
    const size_t n = std::min<size_t>(raw.size() - off, 1 + rng() % 40);
    ASSERT_TRUE(c.send(std::string_view(raw).substr(off, n)));
    off += n;
    // Space the pieces so they arrive as separate segments (shaping, not synchronization).
    std::this_thread::sleep_for(std::chrono::microseconds(300));
  }
  const Response r = c.read_response(with_timeout(Millis(5000)));
  ASSERT_EQ(r.status, 200) << r.describe();
  EXPECT_EQ(r.header("X-Body-Sha256"), sha256_hex(body));
  const RecordedRequest req = *b1_->last_request();
  for (const auto& h : headers) {
    if (h.name == "Transfer-Encoding") continue;
    EXPECT_EQ(req.header_all(h.name), std::vector<std::string>{h.value}) << h.name;
  }
}

}  // namespace
}  // namespace tern::test
