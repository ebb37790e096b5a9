// What a target sees of a request: X-Forwarded-*, X-Amzn-Trace-Id, Host, hop-by-hop
// headers removed (RFC 9110 section 7.6.1), and Upgrade handling.
#include <regex>

#include "tests/integration/harness.hpp"

namespace tern::test {
namespace {

const std::regex kTraceId(R"(^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$)");

class RequestHeaders : public TernTest {
 protected:
  void SetUp() override {
    b1_ = std::make_unique<Backend>("b1");
    ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1_->address()})));
  }
  // Sends one GET with `headers` and returns what the target received.
  RecordedRequest forwarded(const Headers& headers, const std::string& target = "/echo") {
    const size_t before = b1_->request_count();
    const Response r = simple_get(port_, target, headers);
    EXPECT_EQ(r.status, 200) << r.describe();
    EXPECT_EQ(b1_->request_count(), before + 1);
    return b1_->last_request().value_or(RecordedRequest{});
  }
  std::unique_ptr<Backend> b1_;
};

TEST_F(RequestHeaders, XForwardedForIsAppended) {
  EXPECT_EQ(forwarded({}).header_all("X-Forwarded-For"), std::vector<std::string>{"127.0.0.1"});
  EXPECT_EQ(forwarded({{"X-Forwarded-For", "203.0.113.7"}}).header_all("X-Forwarded-For"),
            std::vector<std::string>{"203.0.113.7, 127.0.0.1"});
}

TEST_F(RequestHeaders, XForwardedProtoAndPort) {
  const RecordedRequest req = forwarded({{"X-Forwarded-Proto", "https"}});
  EXPECT_EQ(req.header_all("X-Forwarded-Proto"), std::vector<std::string>{"http"});
  EXPECT_EQ(req.header_all("X-Forwarded-Port"), std::vector<std::string>{std::to_string(port_)});
}

TEST_F(RequestHeaders, MoreThanThirtyForwardedAddressesGet463) {
  std::string xff = "10.0.0.1";
  for (int i = 2; i <= 31; ++i) xff += ", 10.0.0." + std::to_string(i);
  const Response r = simple_get(port_, "/", {{"X-Forwarded-For", xff}});
  EXPECT_EQ(r.status, 463) << "spec: 463 more than 30 addresses in X-Forwarded-For; "
                           << r.describe();
  EXPECT_EQ(b1_->request_count(), 0U);
}

TEST_F(RequestHeaders, ValidTraceIdIsKept) {
  const std::string id = "Root=1-67891233-abcdef012345678912345678";
  EXPECT_EQ(forwarded({{"X-Amzn-Trace-Id", id}}).header_all("X-Amzn-Trace-Id"),
            std::vector<std::string>{id});
}

TEST_F(RequestHeaders, MissingOrInvalidTraceIdIsGenerated) {
  std::vector<std::string> ids;
  for (const Headers& h : {Headers{}, Headers{{"X-Amzn-Trace-Id", "garbage"}},
                           Headers{{"X-Amzn-Trace-Id", "Root=1-xyz-123"}}}) {
    const auto values = forwarded(h).header_all("X-Amzn-Trace-Id");
    ASSERT_EQ(values.size(), 1U);
    EXPECT_TRUE(std::regex_match(values[0], kTraceId)) << values[0];
    ids.push_back(values[0]);
  }
  EXPECT_NE(ids[0], ids[1]);
  EXPECT_NE(ids[1], ids[2]);
}

TEST_F(RequestHeaders, HostIsForwardedUnchanged) {
  const RecordedRequest req = forwarded({{"Host", "Example.COM:8080"}});
  EXPECT_EQ(req.header_all("Host"), std::vector<std::string>{"Example.COM:8080"});
}

TEST_F(RequestHeaders, HopByHopAndConnectionNamedHeadersAreRemoved) {
  const RecordedRequest req = forwarded({{"Connection", "keep-alive, X-Custom-Hop"},
                                         {"Keep-Alive", "timeout=5"},
                                         {"Proxy-Connection", "keep-alive"},
                                         {"Proxy-Authorization", "Basic dXNlcjpwYXNz"},
                                         {"TE", "trailers"},
                                         {"Trailer", "X-Later"},
                                         {"X-Custom-Hop", "1"},
                                         {"X-End-To-End", "2"}});
  for (const char* name :
       {"Keep-Alive", "Proxy-Connection", "Proxy-Authorization", "TE", "Trailer", "X-Custom-Hop"}) {
    EXPECT_FALSE(req.header(name).has_value()) << name << " was forwarded";
  }
  EXPECT_FALSE(header_has_token(req.headers, "Connection", "X-Custom-Hop"));
  EXPECT_EQ(req.header("X-End-To-End"), "2");
}

TEST_F(RequestHeaders, EndToEndHeadersKeepTheirOrderAndRepetitions) {
  const RecordedRequest req =
      forwarded({{"X-A", "1"}, {"X-B", "2"}, {"X-A", "3"}, {"Cookie", "a=1"}, {"Cookie", "b=2"}});
  std::vector<std::string> order;
  for (const auto& h : req.headers) {
    if (h.name == "X-A" || h.name == "X-B") order.push_back(h.name + "=" + h.value);
  }
  EXPECT_EQ(order, (std::vector<std::string>{"X-A=1", "X-B=2", "X-A=3"}));
  EXPECT_EQ(req.header_all("Cookie"), (std::vector<std::string>{"a=1", "b=2"}));
}

TEST_F(RequestHeaders, WebSocketUpgradeIsRefusedWithoutReachingATarget) {
  Client c(port_);
  const Response r = c.get("/chat", {{"Connection", "Upgrade"},
                                     {"Upgrade", "websocket"},
                                     {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                                     {"Sec-WebSocket-Version", "13"}});
  EXPECT_EQ(r.status, 501) << r.describe();
  EXPECT_EQ(b1_->request_count(), 0U);
}

TEST_F(RequestHeaders, H2cUpgradeIsDroppedAndTheRequestForwarded) {
  Client c(port_);
  const Response r = c.get("/echo", {{"Connection", "Upgrade, HTTP2-Settings"},
                                     {"Upgrade", "h2c"},
                                     {"HTTP2-Settings", "AAMAAABkAAQAAP__"}});
  EXPECT_EQ(r.status, 200) << r.describe();
  ASSERT_EQ(b1_->request_count(), 1U);
  const RecordedRequest req = *b1_->last_request();
  EXPECT_FALSE(req.header("Upgrade").has_value());
  EXPECT_FALSE(req.header("HTTP2-Settings").has_value());
  EXPECT_FALSE(header_has_token(req.headers, "Connection", "Upgrade"));
  EXPECT_EQ(c.get("/").status, 200) << "connection still speaks HTTP/1.1";
}

class XffModes : public TernTest {
 protected:
  std::vector<std::string> forwarded_xff(const std::string& mode) {
    Backend b1("b1");
    start_tern(simple_config({b1.address()}, {"xff_header_processing: " + mode}));
    if (HasFatalFailure()) return {};
    EXPECT_EQ(simple_get(port_, "/", {{"X-Forwarded-For", "203.0.113.7"}}).status, 200);
    const auto last = b1.last_request();
    return last ? last->header_all("X-Forwarded-For") : std::vector<std::string>{"(none)"};
  }
};

TEST_F(XffModes, Preserve) {
  EXPECT_EQ(forwarded_xff("preserve"), std::vector<std::string>{"203.0.113.7"});
}

TEST_F(XffModes, Remove) {
  EXPECT_EQ(forwarded_xff("remove"), std::vector<std::string>{});
}

}  // namespace
}  // namespace tern::test
