// The admin session without sockets: raw request bytes in, exact response bytes out.
// Keep-alive and close, pipelining (also byte by byte), HEAD, bodies (Content-Length,
// chunked, 100-continue), limits and every rejection the strict parser reports.
#include "lb/admin/session.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

#include "lb/admin/routes.hpp"

namespace tern::admin {
namespace {

constexpr size_t kAll = std::string_view::npos;

std::string head(int status, std::string_view reason, size_t length, std::string_view extra = {},
                 std::string_view type = "application/json") {
  std::string s = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) +
                  "\r\nServer: tern\r\nDate: D\r\n" + std::string(extra) +
                  "Content-Type: " + std::string(type) +
                  "\r\nContent-Length: " + std::to_string(length) + "\r\n";
  return s;
}

// A complete response as the session writes it (Date: D).
std::string response(int status, std::string_view reason, std::string_view body,
                     std::string_view connection = {}, std::string_view extra = {},
                     std::string_view type = "application/json") {
  std::string s = head(status, reason, body.size(), extra, type);
  if (!connection.empty()) s += "Connection: " + std::string(connection) + "\r\n";
  return s + "\r\n" + std::string(body);
}

std::string ok_healthz(std::string_view connection = {}) {
  return response(200, "OK", R"({"status":"ok"})", connection);
}

std::string error(int status, std::string_view reason, std::string_view message) {
  return response(status, reason, R"({"error":")" + std::string(message) + "\"}", "close");
}

struct Outcome {
  std::string written;  // everything the session asked to write, in order
  bool closed = false;  // it asked to close (kClose, or a write with close)
  bool linger = false;
  bool in_request = false;  // after the last step
};

class SessionTest : public ::testing::Test {
 protected:
  SessionTest() {
    Handlers h;
    h.target_groups = [] {
      return std::vector<TargetGroupView>{{"app", "round_robin", false, {}}};
    };
    add_routes(router, h);
    router.add({"POST", "PUT"}, "/echo", [](const Request& r) {
      Response out;
      out.content_type = "text/plain";
      out.body = std::string(r.method) + " " + std::string(r.path) + " ?" + std::string(r.query) +
                 " [" + std::string(r.body) + "] ct=" + std::string(r.header("content-type"));
      return out;
    });
    router.add({"GET"}, "/bye", [](const Request&) {
      Response out = json_response(200, "{}");
      out.close = true;
      return out;
    });
  }

  // Feeds `wire` to a fresh session `step` bytes per read and runs it until it waits for
  // bytes that do not come or closes.
  Outcome run(std::string_view wire, size_t step = kAll, SessionLimits limits = {}) {
    Session s(router, limits);
    return run(s, wire, step);
  }

  Outcome run(Session& s, std::string_view wire, size_t step = kAll) {
    Outcome o;
    size_t pos = 0;
    std::string out;
    for (;;) {
      Session::Step st = s.next("D", out);
      if (st.action == Session::Action::kWrite) {
        o.written += out;
        if (st.close) {
          o.closed = true;
          o.linger = st.linger;
          break;
        }
        continue;
      }
      if (st.action == Session::Action::kClose) {
        o.closed = true;
        break;
      }
      if (pos == wire.size()) break;
      size_t n = std::min(step, wire.size() - pos);
      auto buf = s.prepare(n);
      std::memcpy(buf.data(), wire.data() + pos, n);
      s.commit(n);
      pos += n;
    }
    o.in_request = s.in_request();
    return o;
  }

  Router router;
};

constexpr std::string_view kGetHealthz = "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n";
constexpr std::string_view kGetGroups =
    "GET /v1/target-groups HTTP/1.1\r\nHost: localhost:9901\r\n\r\n";
constexpr std::string_view kGroupsBody =
    R"({"TargetGroups":[{"TargetGroupName":"app","LoadBalancingAlgorithm":"round_robin",)"
    R"("FailOpen":false,"TargetHealthDescriptions":[]}]})";

TEST_F(SessionTest, GetHealthzKeepsTheConnection) {
  Outcome o = run(kGetHealthz);
  EXPECT_EQ(o.written, ok_healthz());
  EXPECT_FALSE(o.closed);
  EXPECT_FALSE(o.in_request);
}

TEST_F(SessionTest, PipelinedRequestsAreAnsweredInOrder) {
  const std::string wire =
      std::string(kGetHealthz) + std::string(kGetGroups) + std::string(kGetHealthz);
  const std::string expected = ok_healthz() + response(200, "OK", kGroupsBody) + ok_healthz();
  EXPECT_EQ(run(wire).written, expected);
  EXPECT_EQ(run(wire, 1).written, expected);  // byte by byte
  EXPECT_EQ(run(wire, 7).written, expected);
}

TEST_F(SessionTest, HalfAPipelinedRequestWaits) {
  const std::string wire = std::string(kGetHealthz) + "GET /healthz HTTP/1.1\r\nHo";
  Outcome o = run(wire);
  EXPECT_EQ(o.written, ok_healthz());
  EXPECT_FALSE(o.closed);
  EXPECT_TRUE(o.in_request);  // the request timeout applies now
}

TEST_F(SessionTest, HeadHasNoBody) {
  Outcome o = run("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(o.written, head(200, "OK", 15) + "\r\n");
  EXPECT_FALSE(o.closed);
}

TEST_F(SessionTest, QueryIsIgnoredForRouting) {
  EXPECT_EQ(run("GET /healthz?probe=1&x HTTP/1.1\r\nHost: x\r\n\r\n").written, ok_healthz());
}

TEST_F(SessionTest, UnknownPathIs404AndKeepsTheConnection) {
  Outcome o = run("GET /foo?bar HTTP/1.1\r\nHost: x\r\n\r\n" + std::string(kGetHealthz));
  EXPECT_EQ(o.written,
            response(404, "Not Found", R"({"error":"no such endpoint: /foo"})") + ok_healthz());
  EXPECT_FALSE(o.closed);
}

TEST_F(SessionTest, WrongMethodIs405WithAllow) {
  Outcome o = run("POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
  EXPECT_EQ(o.written, response(405, "Method Not Allowed",
                                R"({"error":"method POST not allowed on /healthz"})", {},
                                "Allow: GET, HEAD\r\n"));
  EXPECT_FALSE(o.closed);
}

TEST_F(SessionTest, MalformedRequestIs400AndCloses) {
  Outcome o =
      run("GET /healthz HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n" + std::string(kGetHealthz));
  EXPECT_TRUE(o.closed);
  EXPECT_TRUE(o.linger);
  ASSERT_EQ(o.written.rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u) << o.written;
  EXPECT_NE(o.written.find("Connection: close\r\n"), std::string::npos);
  EXPECT_NE(o.written.find("\r\n\r\n{\"error\":\""), std::string::npos);
  EXPECT_EQ(o.written.find("status"), std::string::npos);  // the pipelined one is not answered
}

TEST_F(SessionTest, GarbageIs400) {
  Outcome o = run("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03");  // a TLS ClientHello
  EXPECT_TRUE(o.closed);
  EXPECT_EQ(o.written.rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u) << o.written;
}

TEST_F(SessionTest, BareLineFeedsAre400) {
  // RFC 9112 §2.2: tern takes CRLF only (llhttp or the parser's own check refuses it).
  for (std::string_view wire :
       {"GET /healthz HTTP/1.1\nHost: x\r\n\r\n", "GET /healthz HTTP/1.1\r\nHost: x\n\r\n",
        "GET /healthz HTTP/1.1\r\nHost: x\r\n\n"}) {
    Outcome o = run(wire);
    EXPECT_TRUE(o.closed) << wire;
    EXPECT_EQ(o.written.rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u) << o.written;
  }
}

TEST_F(SessionTest, MissingOrInvalidHostIs400) {
  EXPECT_EQ(run("GET /healthz HTTP/1.1\r\n\r\n").written,
            error(400, "Bad Request", "missing Host"));
  EXPECT_EQ(run("GET /healthz HTTP/1.1\r\nHost: a b\r\n\r\n").written,
            error(400, "Bad Request", "invalid Host header"));
  EXPECT_EQ(run("GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").written,
            error(400, "Bad Request", "more than one Host"));
}

TEST_F(SessionTest, AbsoluteFormAndAsteriskTargets) {
  EXPECT_EQ(run("GET http://localhost:9901/healthz?x HTTP/1.1\r\nHost: localhost\r\n\r\n").written,
            ok_healthz());
  EXPECT_EQ(run("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n").written,
            response(404, "Not Found", R"({"error":"no such endpoint: *"})"));
  Outcome o = run("GET ftp://x/healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(o.written, error(400, "Bad Request", "invalid request target"));
}

TEST_F(SessionTest, ConnectionCloseIsHonoured) {
  Outcome o = run("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" +
                  std::string(kGetHealthz));
  EXPECT_EQ(o.written, ok_healthz("close"));
  EXPECT_TRUE(o.closed);
  EXPECT_FALSE(o.linger);
}

TEST_F(SessionTest, Http10ClosesUnlessKeepAliveAsked) {
  Outcome o = run("GET /healthz HTTP/1.0\r\n\r\n");
  EXPECT_EQ(o.written, ok_healthz("close"));
  EXPECT_TRUE(o.closed);
  o = run("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n" +
          std::string("GET /healthz HTTP/1.0\r\n\r\n"));
  EXPECT_EQ(o.written, ok_healthz("keep-alive") + ok_healthz("close"));
}

TEST_F(SessionTest, HandlerMayCloseTheConnection) {
  Outcome o = run("GET /bye HTTP/1.1\r\nHost: x\r\n\r\n" + std::string(kGetHealthz));
  EXPECT_EQ(o.written, response(200, "OK", "{}", "close"));
  EXPECT_TRUE(o.closed);
}

TEST_F(SessionTest, ContentLengthBodyReachesTheHandler) {
  const std::string body = "{\"targets\":[{\"id\":\"a\"}]}\r\n";
  const std::string wire =
      "POST /echo?dry=1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body + std::string(kGetHealthz);
  const std::string expected =
      response(200, "OK", "POST /echo ?dry=1 [" + body + "] ct=application/json", {}, {},
               "text/plain") +
      ok_healthz();
  EXPECT_EQ(run(wire).written, expected);
  EXPECT_EQ(run(wire, 3).written, expected);
}

TEST_F(SessionTest, ChunkedBodyIsDecoded) {
  const std::string wire =
      "PUT /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n" +
      std::string(kGetHealthz);
  const std::string expected =
      response(200, "OK", "PUT /echo ? [abcde] ct=", {}, {}, "text/plain") + ok_healthz();
  EXPECT_EQ(run(wire).written, expected);
  EXPECT_EQ(run(wire, 1).written, expected);
}

TEST_F(SessionTest, ManyChunksInOneRead) {
  // More body pieces than one feed reports (64): the session feeds again.
  std::string wire = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  std::string body;
  for (int i = 0; i < 200; ++i) {
    wire += "1\r\n" + std::string(1, static_cast<char>('a' + i % 26)) + "\r\n";
    body += static_cast<char>('a' + i % 26);
  }
  wire += "0\r\n\r\n";
  EXPECT_EQ(run(wire).written,
            response(200, "OK", "POST /echo ? [" + body + "] ct=", {}, {}, "text/plain"));
}

TEST_F(SessionTest, ExpectContinueGets100BeforeTheBody) {
  Session s(router);
  Outcome o = run(s,
                  "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                  "Content-Length: 2\r\n\r\n");
  EXPECT_EQ(o.written, "HTTP/1.1 100 Continue\r\n\r\n");
  EXPECT_TRUE(o.in_request);
  o = run(s, "hi");
  EXPECT_EQ(o.written, response(200, "OK", "POST /echo ? [hi] ct=", {}, {}, "text/plain"));
}

TEST_F(SessionTest, NoContinueWhenTheBodyIsAlreadyHereOrHttp10) {
  EXPECT_EQ(run("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                "Content-Length: 2\r\n\r\nhi")
                .written,
            response(200, "OK", "POST /echo ? [hi] ct=", {}, {}, "text/plain"));
  EXPECT_EQ(run("POST /echo HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n").written,
            "");
  EXPECT_EQ(run("GET /healthz HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n").written,
            ok_healthz());
}

TEST_F(SessionTest, LimitsMapToTheirStatuses) {
  SessionLimits small{64, 128, 16};
  Outcome o = run("GET /" + std::string(100, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n", kAll, small);
  EXPECT_EQ(o.written, error(414, "URI Too Long", "request line larger than 64 bytes"));
  o = run("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(200, 'b') + "\r\n\r\n", kAll, small);
  EXPECT_EQ(o.written,
            error(431, "Request Header Fields Too Large", "header section larger than 128 bytes"));
  o = run("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 17\r\n\r\n", kAll, small);
  EXPECT_EQ(o.written, error(413, "Content Too Large", "request body larger than 16 bytes"));
  o =
      run("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
          "10\r\n0123456789abcdef\r\n1\r\nx\r\n0\r\n\r\n",
          kAll, small);
  EXPECT_EQ(o.written, error(413, "Content Too Large", "request body larger than 16 bytes"));
  EXPECT_TRUE(o.linger);
}

TEST_F(SessionTest, DefaultLimits) {
  // 16 KiB of header fields, 1 MiB of body.
  Outcome o =
      run("GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: " + std::string(16000, 'a') + "\r\n\r\n");
  EXPECT_EQ(o.written, ok_healthz());
  o = run("GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: " + std::string(17000, 'a') + "\r\n\r\n");
  EXPECT_EQ(o.written, error(431, "Request Header Fields Too Large",
                             "header section larger than 16384 bytes"));
  o = run("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1048577\r\n\r\n");
  EXPECT_EQ(o.written, error(413, "Content Too Large", "request body larger than 1048576 bytes"));
}

TEST_F(SessionTest, UnsupportedVersionAndTransferCoding) {
  Outcome o = run("GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n");
  EXPECT_EQ(o.written.rfind("HTTP/1.1 505 HTTP Version Not Supported\r\n", 0), 0u) << o.written;
  EXPECT_TRUE(o.closed);
  o = run("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n");
  EXPECT_EQ(o.written.rfind("HTTP/1.1 501 Not Implemented\r\n", 0), 0u) << o.written;
  EXPECT_TRUE(o.closed);
}

TEST_F(SessionTest, RejectedHeadRequestHasNoBody) {
  Outcome o = run("HEAD /healthz HTTP/1.1\r\nHost: a b\r\n\r\n");
  const std::string body = R"({"error":"invalid Host header"})";
  EXPECT_EQ(o.written, head(400, "Bad Request", body.size()) + "Connection: close\r\n\r\n");
}

TEST_F(SessionTest, TimeoutIs408AndCloses) {
  Session s(router);
  Outcome o = run(s, "GET /healthz HTTP/1.1\r\nHo");
  EXPECT_TRUE(o.in_request);
  std::string out;
  s.timed_out("D", out);
  EXPECT_EQ(out, error(408, "Request Timeout", "request not received within the timeout"));
  EXPECT_EQ(s.next("D", out).action, Session::Action::kClose);
}

TEST_F(SessionTest, NothingAfterClose) {
  Session s(router);
  Outcome o = run(s, "GET /healthz HTTP/1.0\r\n\r\n");
  EXPECT_TRUE(o.closed);
  std::string out;
  EXPECT_EQ(s.next("D", out).action, Session::Action::kClose);
}

}  // namespace
}  // namespace tern::admin
