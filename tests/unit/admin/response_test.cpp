// Admin responses on the wire: exact bytes for the framing variants, and extra fields that
// could break the head are dropped.
#include "lb/admin/response.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tern::admin {
namespace {

constexpr std::string_view kDate = "Sun, 06 Nov 1994 08:49:37 GMT";

std::string encode(const Response& r, Framing f = {}) {
  std::string out;
  encode_response(r, f, kDate, out);
  return out;
}

TEST(AdminResponse, JsonKeepAlive) {
  EXPECT_EQ(encode(json_response(200, R"({"status":"ok"})")),
            "HTTP/1.1 200 OK\r\nServer: tern\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
            "Content-Type: application/json\r\nContent-Length: 15\r\n\r\n"
            R"({"status":"ok"})");
}

TEST(AdminResponse, ErrorWithAllowAndClose) {
  Response r = error_response(405, "method POST not allowed on /healthz");
  r.headers.emplace_back("Allow", "GET, HEAD");
  EXPECT_EQ(encode(r, Framing{true, false, false}),
            "HTTP/1.1 405 Method Not Allowed\r\nServer: tern\r\n"
            "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\nAllow: GET, HEAD\r\n"
            "Content-Type: application/json\r\nContent-Length: 47\r\nConnection: close\r\n\r\n"
            R"({"error":"method POST not allowed on /healthz"})");
}

TEST(AdminResponse, HeadKeepsContentLengthDropsBody) {
  EXPECT_EQ(encode(json_response(200, "{}"), Framing{false, false, true}),
            "HTTP/1.1 200 OK\r\nServer: tern\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
            "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n");
}

TEST(AdminResponse, Http10KeepAliveIsAnnounced) {
  EXPECT_EQ(encode(json_response(200, "{}"), Framing{false, true, false}),
            "HTTP/1.1 200 OK\r\nServer: tern\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
            "Content-Type: application/json\r\nContent-Length: 2\r\n"
            "Connection: keep-alive\r\n\r\n{}");
}

TEST(AdminResponse, UnsafeExtraFieldsAreDropped) {
  Response r = json_response(200, "{}");
  r.headers = {{"X-Ok", "a\tb"},
               {"X-Bad", "a\r\nX-Injected: 1"},
               {"Bad Name", "v"},
               {"", "v"},
               {"X-Nul", std::string("a\0b", 3)},
               {"X-Del", "\x7f"},
               {"X-Utf8", "caf\xC3\xA9"}};
  EXPECT_EQ(encode(r),
            "HTTP/1.1 200 OK\r\nServer: tern\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
            "X-Ok: a\tb\r\nX-Utf8: caf\xC3\xA9\r\nContent-Type: application/json\r\n"
            "Content-Length: 2\r\n\r\n{}");
}

TEST(AdminResponse, UnsafeOrEmptyContentTypeIsReplaced) {
  Response r;
  r.content_type = "text/plain\r\nX-Injected: 1";
  r.body = "x";
  EXPECT_EQ(encode(r),
            "HTTP/1.1 200 OK\r\nServer: tern\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
            "Content-Type: application/octet-stream\r\nContent-Length: 1\r\n\r\nx");
  r.content_type.clear();
  EXPECT_NE(encode(r).find("Content-Type: application/octet-stream\r\n"), std::string::npos);
}

TEST(AdminResponse, PlainTextForMetrics) {
  Response r;
  r.content_type = "text/plain; version=0.0.4";
  r.body = "up 1\n";
  EXPECT_EQ(encode(r),
            "HTTP/1.1 200 OK\r\nServer: tern\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
            "Content-Type: text/plain; version=0.0.4\r\nContent-Length: 5\r\n\r\nup 1\n");
}

TEST(AdminResponse, ErrorBodyEscapes) {
  EXPECT_EQ(error_response(400, "bad \"x\"").body, R"({"error":"bad \"x\""})");
}

}  // namespace
}  // namespace tern::admin
