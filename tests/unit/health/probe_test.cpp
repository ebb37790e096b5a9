// One probe against real local sockets: each way a target can answer (or not).
#include "health/probe.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <chrono>
#include <optional>

#include "tests/unit/health/test_server.hpp"

namespace tern::health {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using test::TestServer;

config::HealthCheck check_with(milliseconds timeout = milliseconds(500)) {
  config::HealthCheck check;
  check.path = "/healthz?deep=1";
  check.timeout = timeout;
  return check;
}

// Runs one probe to completion (bounded) on `io`.
std::optional<ProbeResult> run_probe(asio::io_context& io, asio::ip::tcp::endpoint at,
                                     config::HealthCheck check) {
  std::optional<ProbeResult> result;
  bool escaped = false;
  asio::co_spawn(io, probe(at, std::move(check)), [&](std::exception_ptr e, ProbeResult r) {
    escaped = e != nullptr;
    result = std::move(r);
  });
  EXPECT_TRUE(test::run_until(
      io, [&] { return result.has_value(); }, milliseconds(2000)));
  EXPECT_FALSE(escaped);
  return result;
}

TEST(Probe, MatchingStatusIsOk) {
  asio::io_context io;
  TestServer server(io, TestServer::Mode::kRespond, 200);
  auto r = run_probe(io, server.endpoint(), check_with());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, ProbeResult::kOk);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(server.requests(), 1);
  EXPECT_EQ(server.last_request(),
            "GET /healthz?deep=1 HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(server.port()) +
                "\r\nUser-Agent: tern-health-checker\r\nConnection: close\r\n\r\n");
}

TEST(Probe, OtherStatusIsAMismatch) {
  asio::io_context io;
  TestServer server(io, TestServer::Mode::kRespond, 503);
  auto r = run_probe(io, server.endpoint(), check_with());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, ProbeResult::kStatusMismatch);
  EXPECT_EQ(r->status, 503);
}

TEST(Probe, MatcherRanges) {
  asio::io_context io;
  TestServer server(io, TestServer::Mode::kRespond, 302);
  auto check = check_with();
  check.matcher = {{200, 299}, {302, 302}};
  auto r = run_probe(io, server.endpoint(), check);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, ProbeResult::kOk);
  EXPECT_EQ(r->status, 302);
}

TEST(Probe, StatusLineInOneBytePieces) {
  asio::io_context io;
  TestServer server(io, TestServer::Mode::kSplit, 200);
  auto r = run_probe(io, server.endpoint(), check_with());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, ProbeResult::kOk);
}

TEST(Probe, RefusedFails) {
  asio::io_context io;
  auto r = run_probe(io, test::closed_endpoint(io), check_with());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, ProbeResult::kFailed);
  EXPECT_NE(r->detail.find("connecting"), std::string::npos) << r->detail;
}

TEST(Probe, SilentTargetTimesOut) {
  asio::io_context io;
  TestServer server(io, TestServer::Mode::kSilent);
  const auto start = std::chrono::steady_clock::now();
  auto r = run_probe(io, server.endpoint(), check_with(milliseconds(150)));
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, ProbeResult::kTimeout);
  EXPECT_EQ(r->detail, "timed out after 150 ms while reading the status line");
  EXPECT_GE(took, milliseconds(150));
  EXPECT_LT(took, milliseconds(1000));
  EXPECT_EQ(server.requests(), 1);
}

TEST(Probe, ClosedBeforeAnswerFails) {
  asio::io_context io;
  TestServer server(io, TestServer::Mode::kClose);
  auto r = run_probe(io, server.endpoint(), check_with());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, ProbeResult::kFailed);
}

TEST(Probe, ResetFails) {
  asio::io_context io;
  TestServer server(io, TestServer::Mode::kReset);
  auto r = run_probe(io, server.endpoint(), check_with());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, ProbeResult::kFailed);
}

TEST(Probe, GarbageFails) {
  asio::io_context io;
  TestServer server(io, TestServer::Mode::kGarbage);
  auto r = run_probe(io, server.endpoint(), check_with());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, ProbeResult::kFailed);
  EXPECT_EQ(r->detail, "invalid status line");
}

TEST(Probe, TruncatedStatusLineFails) {
  asio::io_context io;
  TestServer server(io, TestServer::Mode::kTruncated);
  auto r = run_probe(io, server.endpoint(), check_with());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, ProbeResult::kFailed);
  EXPECT_EQ(r->detail, "connection closed before a status line");
}

TEST(Probe, Ipv6HostIsBracketed) {
  asio::io_context io;
  std::unique_ptr<TestServer> server;
  try {
    server = std::make_unique<TestServer>(io, TestServer::Mode::kRespond, 200,
                                          asio::ip::address_v6::loopback());
  } catch (const boost::system::system_error&) {
    GTEST_SKIP() << "no IPv6 loopback";
  }
  auto r = run_probe(io, server->endpoint(), check_with());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, ProbeResult::kOk);
  EXPECT_NE(server->last_request().find("Host: [::1]:" + std::to_string(server->port()) + "\r\n"),
            std::string::npos);
}

}  // namespace
}  // namespace tern::health
