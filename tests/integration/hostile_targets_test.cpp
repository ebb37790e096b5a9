// Targets that send invalid, truncated or unrequested bytes: the client gets a 502 or a
// visibly broken response, never a made-up one, and the upstream pool is never poisoned.
#include "tests/integration/harness.hpp"

namespace tern::test {
namespace {

struct BadResponse {
  const char* kind;
};

void PrintTo(const BadResponse& bad, std::ostream* os) {
  *os << bad.kind;
}

class HostileTarget : public TernTest, public ::testing::WithParamInterface<BadResponse> {
 protected:
  void SetUp() override {
    b1_ = std::make_unique<Backend>("b1");
    ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1_->address()})));
  }
  std::unique_ptr<Backend> b1_;
};

TEST_P(HostileTarget, InvalidResponseNeverReachesTheClientAsValid) {
  const std::string kind = GetParam().kind;
  Client c(port_);
  const Response r = c.get("/bad/" + kind, {}, with_timeout(Millis(5000)));
  if (kind == "two-cl" || kind == "status") {
    EXPECT_EQ(r.status, 502) << r.describe();
  } else if (kind == "cl-te" || kind == "bare-lf") {
    // RFC 9112 sections 6.3 and 2.2 let a recipient reject these (502) or read them in one
    // precise way; what it must not do is pass on an ambiguous message.
    if (r.status != 502) {
      EXPECT_TRUE(r.ok()) << "ambiguous framing forwarded: " << r.describe();
      EXPECT_EQ(r.body, "hello") << r.describe();
    }
  } else {
    // truncated, bad-chunk: the head may already be on its way; then the client must see
    // the body end early and the connection close.
    if (r.status != 502) {
      EXPECT_FALSE(r.ok()) << "a broken body was delivered as complete: " << r.describe();
      EXPECT_TRUE(c.wait_closed(Millis(3000)));
    }
  }
  // tern still serves, on a new connection and from a clean upstream connection.
  for (int i = 0; i < 3; ++i) {
    const Response next = simple_get(port_, "/", {}, with_timeout(Millis(5000)));
    EXPECT_EQ(next.body, "hello from b1\n") << next.describe();
  }
}

INSTANTIATE_TEST_SUITE_P(Responses, HostileTarget,
                         ::testing::Values(BadResponse{"cl-te"}, BadResponse{"two-cl"},
                                           BadResponse{"status"}, BadResponse{"bare-lf"},
                                           BadResponse{"truncated"}, BadResponse{"bad-chunk"}),
                         [](const auto& p) {
                           std::string name = p.param.kind;
                           std::erase(name, '-');
                           return name;
                         });

class Pool : public TernTest {
 protected:
  void SetUp() override {
    b1_ = std::make_unique<Backend>("b1");
    // One worker: every request shares the same upstream pool.
    ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1_->address()}, {}, {"workers: 1"})));
  }
  void expect_clean_answers() {
    Client same(port_);
    for (int i = 0; i < 5; ++i) {
      const Response r = same.get("/", {}, with_timeout(Millis(5000)));
      EXPECT_EQ(r.body, "hello from b1\n") << r.describe();
      const Response fresh = simple_get(port_, "/", {}, with_timeout(Millis(5000)));
      EXPECT_EQ(fresh.body, "hello from b1\n") << fresh.describe();
    }
  }
  std::unique_ptr<Backend> b1_;
};

TEST_F(Pool, UnrequestedBytesFromATargetAreNeverDeliveredAsAResponse) {
  Client c(port_);
  const Response r = c.get("/bad/extra", {}, with_timeout(Millis(5000)));
  EXPECT_EQ(r.body, "hello") << r.describe();
  const Response next = c.get("/", {}, with_timeout(Millis(5000)));
  EXPECT_EQ(next.body, "hello from b1\n") << "response smuggled from the pool: " << next.describe();
  expect_clean_answers();
}

TEST_F(Pool, ClientAbortingADownloadDoesNotPoisonThePool) {
  {
    Client c(port_);
    ASSERT_TRUE(c.send(build_request("GET", "/bytes/104857600", {})));
    ASSERT_TRUE(eventually([&] { return b1_->bytes_written() > (1 << 20); }, Millis(5000)));
    c.close_with_reset();
  }
  expect_clean_answers();
}

TEST_F(Pool, ClientAbortingAnUploadDoesNotPoisonThePool) {
  {
    Client c(port_);
    ASSERT_TRUE(c.send(build_request("POST", "/sha256", {{"Content-Length", "10485760"}})));
    ASSERT_TRUE(c.send(pattern_string(1 << 20)));
    ASSERT_TRUE(b1_->wait_for_requests(1, Millis(5000)));
    c.close();
  }
  expect_clean_answers();
  EXPECT_FALSE(b1_->requests().front().complete) << "the cut upload was completed somehow";
}

}  // namespace
}  // namespace tern::test
