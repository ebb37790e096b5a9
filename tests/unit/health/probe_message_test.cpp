// The probe's request bytes and the status-line parser, byte by byte.
#include "health/probe_message.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tern::health {
namespace {

namespace ip = boost::asio::ip;

TEST(ProbeRequest, Ipv4) {
  ip::tcp::endpoint at(ip::make_address("10.0.1.17"), 8080);
  EXPECT_EQ(probe_request(at, "/health?full=1"),
            "GET /health?full=1 HTTP/1.1\r\nHost: 10.0.1.17:8080\r\n"
            "User-Agent: tern-health-checker\r\nConnection: close\r\n\r\n");
}

TEST(ProbeRequest, Ipv6IsBracketedWithoutZone) {
  ip::tcp::endpoint at(ip::make_address("fd00::1"), 80);
  EXPECT_EQ(probe_request(at, "/"),
            "GET / HTTP/1.1\r\nHost: [fd00::1]:80\r\n"
            "User-Agent: tern-health-checker\r\nConnection: close\r\n\r\n");
  ip::tcp::endpoint scoped(ip::make_address("fe80::1%1"), 9000);
  EXPECT_NE(probe_request(scoped, "/").find("Host: [fe80::1]:9000\r\n"), std::string::npos);
}

struct Case {
  const char* bytes;
  StatusLine::Kind kind;
  int status;
};

class ParseStatusLine : public ::testing::TestWithParam<Case> {};

TEST_P(ParseStatusLine, Decides) {
  const Case& c = GetParam();
  StatusLine line = parse_status_line(c.bytes);
  EXPECT_EQ(line.kind, c.kind) << c.bytes;
  EXPECT_EQ(line.status, c.status) << c.bytes;
}

INSTANTIATE_TEST_SUITE_P(
    All, ParseStatusLine,
    ::testing::Values(Case{"", StatusLine::kNeedMore, 0}, Case{"H", StatusLine::kNeedMore, 0},
                      Case{"HTTP/1.1", StatusLine::kNeedMore, 0},
                      Case{"HTTP/1.1 20", StatusLine::kNeedMore, 0},
                      Case{"HTTP/1.1 200", StatusLine::kNeedMore, 0},
                      Case{"HTTP/1.1 200 ", StatusLine::kComplete, 200},
                      Case{"HTTP/1.1 200 OK\r\n", StatusLine::kComplete, 200},
                      Case{"HTTP/1.0 503 Service Unavailable\r\n", StatusLine::kComplete, 503},
                      Case{"HTTP/1.1 204\r\n", StatusLine::kComplete, 204},
                      Case{"HTTP/1.1 302\n", StatusLine::kComplete, 302},
                      Case{"HTTP/1.1 100 Continue\r\n", StatusLine::kComplete, 100},
                      Case{"HTTP/1.1 599 x", StatusLine::kComplete, 599},
                      Case{"HTTP/1.1 600 x", StatusLine::kInvalid, 0},
                      Case{"HTTP/1.1 099 x", StatusLine::kInvalid, 0},
                      Case{"HTTP/1.1 2000", StatusLine::kInvalid, 0},
                      Case{"HTTP/1.1 20x", StatusLine::kInvalid, 0},
                      Case{"HTTP/1.1  200", StatusLine::kInvalid, 0},
                      Case{"HTTP/2 200 ", StatusLine::kInvalid, 0},
                      Case{"HTTP/1.x 200 ", StatusLine::kInvalid, 0},
                      Case{"http/1.1 200 ", StatusLine::kInvalid, 0},
                      Case{"SSH-2.0-OpenSSH", StatusLine::kInvalid, 0},
                      Case{"X", StatusLine::kInvalid, 0},
                      Case{"\r\nHTTP/1.1 200 ", StatusLine::kInvalid, 0}));

TEST(ParseStatusLine, EveryPrefixOfAGoodLineNeedsMore) {
  const std::string line = "HTTP/1.1 404 Not Found\r\n";
  for (size_t n = 0; n < 13; ++n) {
    EXPECT_EQ(parse_status_line(line.substr(0, n)).kind, StatusLine::kNeedMore) << n;
  }
  for (size_t n = 13; n <= line.size(); ++n) {
    StatusLine l = parse_status_line(line.substr(0, n));
    EXPECT_EQ(l.kind, StatusLine::kComplete) << n;
    EXPECT_EQ(l.status, 404);
  }
}

}  // namespace
}  // namespace tern::health
