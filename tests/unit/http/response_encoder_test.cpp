// The response head tern sends to a client, and tern's own local replies. Exact bytes, and
// every output parsed back with tern's own strict parser.
#include "lb/http/response_encoder.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "lb/core/finish_reason.hpp"
#include "lb/http/parser.hpp"

namespace tern::http {
namespace {

constexpr std::string_view kDate = "Sun, 06 Nov 1994 08:49:37 GMT";

std::string encode(std::string_view wire, ResponseFraming framing = {},
                   bool request_was_head = false) {
  Parser parser(Parser::Kind::kResponse);
  parser.start(request_was_head);
  auto r = parser.feed(wire.data(), 0, wire.size());
  EXPECT_EQ(r.event, Parser::Event::kHeadComplete) << parser.error_reason() << "\n" << wire;
  std::string out;
  encode_response_head(parser.head(), wire.data(), framing, out);
  return out;
}

TEST(ResponseEncoder, RelaysStatusReasonAndFields) {
  EXPECT_EQ(encode("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nServer: app\r\nSet-Cookie: a=1\r\n"
                   "Set-Cookie: b=2\r\n\r\n"),
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nServer: app\r\nSet-Cookie: a=1\r\n"
            "Set-Cookie: b=2\r\n\r\n");
  EXPECT_EQ(encode("HTTP/1.1 404 Not Here\r\nContent-Length: 0\r\n\r\n"),
            "HTTP/1.1 404 Not Here\r\nContent-Length: 0\r\n\r\n");
}

TEST(ResponseEncoder, EmptyReasonKeepsTheSpace) {
  // RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ].
  EXPECT_EQ(encode("HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n"),
            "HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n");
}

TEST(ResponseEncoder, Http10TargetIsRelayedAsHttp11) {
  EXPECT_EQ(encode("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"),
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
}

TEST(ResponseEncoder, RemovesHopByHopAndNamedFields) {
  EXPECT_EQ(encode("HTTP/1.1 200 OK\r\nConnection: keep-alive, X-Internal\r\nKeep-Alive: "
                   "timeout=5\r\nX-Internal: secret\r\nProxy-Authenticate: Basic\r\nTrailer: "
                   "X-Sum\r\nUpgrade: h2c\r\nContent-Length: 0\r\nX-Kept: 1\r\n\r\n"),
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Kept: 1\r\n\r\n");
}

TEST(ResponseEncoder, ConnectionCannotRemoveContentLength) {
  // The client must get the framing tern relays the body with.
  EXPECT_EQ(encode("HTTP/1.1 200 OK\r\nConnection: Content-Length\r\nContent-Length: 3\r\n\r\n"),
            "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n");
}

TEST(ResponseEncoder, ChunkedIsRedeclaredUnlessDechunked) {
  std::string chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: b\r\n\r\n";
  EXPECT_EQ(encode(chunked), "HTTP/1.1 200 OK\r\nX-A: b\r\nTransfer-Encoding: chunked\r\n\r\n");
  // An HTTP/1.0 client gets the decoded body, delimited by the close.
  EXPECT_EQ(encode(chunked, {.close = true, .client_http10 = true, .dechunk = true}),
            "HTTP/1.1 200 OK\r\nX-A: b\r\nConnection: close\r\n\r\n");
}

TEST(ResponseEncoder, ConnectionManagement) {
  std::string wire = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  // The target's Connection is hop-by-hop; what the client sees is tern's decision.
  EXPECT_EQ(encode(wire), "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(encode(wire, {.close = true}),
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  // RFC 9112 §9.3: an HTTP/1.0 client keeps the connection only when told so.
  EXPECT_EQ(encode(wire, {.client_http10 = true}),
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n");
  EXPECT_EQ(encode(wire, {.close = true, .client_http10 = true}),
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
}

TEST(ResponseEncoder, InterimResponsesCarryNoFraming) {
  for (std::string wire : {"HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n",
                           "HTTP/1.1 100 Continue\r\n\r\n"}) {
    std::string expected = wire;
    EXPECT_EQ(encode(wire, {.close = true, .client_http10 = true}), expected);
    EXPECT_EQ(encode(wire), expected);
  }
  // Even a (bogus) chunked 1xx is not re-declared chunked: it has no body.
  EXPECT_EQ(encode("HTTP/1.1 102 Processing\r\nTransfer-Encoding: chunked\r\n\r\n"),
            "HTTP/1.1 102 Processing\r\n\r\n");
}

TEST(ResponseEncoder, HeadAnd304KeepTheirContentLength) {
  // RFC 9110 §8.6: the length of the body a GET would have had; passed through as is.
  EXPECT_EQ(encode("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n", {}, true),
            "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n");
  EXPECT_EQ(encode("HTTP/1.1 304 Not Modified\r\nContent-Length: 1234\r\nETag: \"x\"\r\n\r\n"),
            "HTTP/1.1 304 Not Modified\r\nContent-Length: 1234\r\nETag: \"x\"\r\n\r\n");
}

TEST(ResponseEncoder, OutputParsesBack) {
  std::string out = encode(
      "HTTP/1.0 201 Created\r\nConnection: x-a\r\nX-A: 1\r\nTransfer-Encoding: chunked\r\n"
      "Location: /n\r\n\r\n",
      {.close = true});
  Parser parser(Parser::Kind::kResponse);
  parser.start();
  auto r = parser.feed(out.data(), 0, out.size());
  ASSERT_EQ(r.event, Parser::Event::kHeadComplete) << parser.error_reason() << "\n" << out;
  EXPECT_EQ(parser.head().status, 201);
  EXPECT_TRUE(parser.head().chunked);
  EXPECT_FALSE(parser.head().keep_alive);
  EXPECT_EQ(count_header(parser.head(), out.data(), "X-A"), 0);
}

TEST(ResponseEncoder, ExtraFieldsFollowTheTargetsButNotOnInterim) {
  const std::string cookie = "Set-Cookie: AWSALBTG=abc; Max-Age=60; Path=/\r\n";
  EXPECT_EQ(encode("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nSet-Cookie: s=1\r\n\r\n",
                   {.close = true, .extra_fields = cookie}),
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nSet-Cookie: s=1\r\n" + cookie +
                "Connection: close\r\n\r\n");
  EXPECT_EQ(encode("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n", {.extra_fields = cookie}),
            "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n");
}

struct ReasonCase {
  int status;
  std::string_view reason;
};

TEST(ReasonPhrase, Table) {
  for (ReasonCase c : {ReasonCase{100, "Continue"},
                       ReasonCase{101, "Switching Protocols"},
                       ReasonCase{200, "OK"},
                       ReasonCase{201, "Created"},
                       ReasonCase{202, "Accepted"},
                       ReasonCase{204, "No Content"},
                       ReasonCase{301, "Moved Permanently"},
                       ReasonCase{302, "Found"},
                       ReasonCase{304, "Not Modified"},
                       ReasonCase{400, "Bad Request"},
                       ReasonCase{401, "Unauthorized"},
                       ReasonCase{403, "Forbidden"},
                       ReasonCase{404, "Not Found"},
                       ReasonCase{405, "Method Not Allowed"},
                       ReasonCase{408, "Request Timeout"},
                       ReasonCase{409, "Conflict"},
                       ReasonCase{410, "Gone"},
                       ReasonCase{413, "Content Too Large"},
                       ReasonCase{414, "URI Too Long"},
                       ReasonCase{429, "Too Many Requests"},
                       ReasonCase{431, "Request Header Fields Too Large"},
                       ReasonCase{460, "Client Closed Request"},
                       ReasonCase{463, "Too Many Forwarded Addresses"},
                       ReasonCase{500, "Internal Server Error"},
                       ReasonCase{501, "Not Implemented"},
                       ReasonCase{502, "Bad Gateway"},
                       ReasonCase{503, "Service Unavailable"},
                       ReasonCase{504, "Gateway Timeout"},
                       ReasonCase{505, "HTTP Version Not Supported"},
                       ReasonCase{0, ""},
                       ReasonCase{299, ""},
                       ReasonCase{418, ""},
                       ReasonCase{599, ""}}) {
    EXPECT_EQ(reason_phrase(c.status), c.reason) << c.status;
  }
}

TEST(ReasonPhrase, EveryFinishReasonStatusHasOne) {
  // Local replies are built from finish reasons; none may go out without a phrase.
  for (int r = 0; r <= static_cast<int>(core::kLastFinishReason); ++r) {
    int status = core::status_for(static_cast<core::FinishReason>(r));
    EXPECT_NE(reason_phrase(status), "") << status;
  }
}

TEST(LocalReply, ExactBytes) {
  std::string out;
  encode_local_reply(400, kDate, false, out);
  EXPECT_EQ(out,
            "HTTP/1.1 400 Bad Request\r\nServer: tern\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
            "Content-Type: text/plain\r\nContent-Length: 16\r\n\r\n400 Bad Request\n");
  encode_local_reply(503, kDate, true, out);  // replaces, not appends
  EXPECT_EQ(out,
            "HTTP/1.1 503 Service Unavailable\r\nServer: tern\r\nDate: Sun, 06 Nov 1994 08:49:37 "
            "GMT\r\nContent-Type: text/plain\r\nContent-Length: 24\r\nConnection: close\r\n\r\n"
            "503 Service Unavailable\n");
}

TEST(LocalReply, NoBodyStatuses) {
  std::string out;
  encode_local_reply(100, kDate, false, out);
  EXPECT_EQ(out,
            "HTTP/1.1 100 Continue\r\nServer: tern\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n");
  encode_local_reply(204, kDate, true, out);
  EXPECT_EQ(out,
            "HTTP/1.1 204 No Content\r\nServer: tern\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
            "Connection: close\r\n\r\n");
  encode_local_reply(304, kDate, false, out);
  EXPECT_EQ(
      out,
      "HTTP/1.1 304 Not Modified\r\nServer: tern\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n");
}

TEST(LocalReply, EveryStatusParsesBackWithItsBody) {
  for (int status = 100; status <= 599; ++status) {
    for (bool close : {false, true}) {
      std::string out;
      encode_local_reply(status, kDate, close, out);
      Parser parser(Parser::Kind::kResponse);
      parser.start();
      auto r = parser.feed(out.data(), 0, out.size());
      ASSERT_EQ(r.event, Parser::Event::kHeadComplete) << parser.error_reason() << "\n" << out;
      EXPECT_EQ(parser.head().status, status);
      EXPECT_EQ(parser.head().reason.view(out.data()), reason_phrase(status));
      EXPECT_EQ(parser.head().keep_alive, !close) << out;
      EXPECT_EQ(find_header(parser.head(), out.data(), "Date"), kDate);
      size_t pos = r.consumed;
      std::string body;
      while (r.event != Parser::Event::kMessageComplete) {
        r = parser.feed(out.data(), pos, out.size());
        ASSERT_NE(r.event, Parser::Event::kError) << out;
        for (size_t i = 0; i < parser.body_piece_count(); ++i) {
          body += parser.body_pieces()[i].view(out.data());
        }
        pos += r.consumed;
        ASSERT_TRUE(r.event == Parser::Event::kMessageComplete || pos < out.size()) << out;
      }
      EXPECT_EQ(pos, out.size()) << "nothing after the body";
      bool has_body = status >= 200 && status != 204 && status != 304;
      if (has_body) {
        EXPECT_EQ(body, std::to_string(status) + " " + std::string(reason_phrase(status)) + "\n");
      } else {
        EXPECT_EQ(body, "");
        EXPECT_EQ(count_header(parser.head(), out.data(), "Content-Length"), 0) << out;
      }
    }
  }
}

TEST(LocalResponse, ExactBytes) {
  std::string out;
  LocalResponse r;
  r.status = 503;
  r.content_type = "text/plain";
  r.body = "back soon";
  encode_local_response(r, kDate, out);
  EXPECT_EQ(out,
            "HTTP/1.1 503 Service Unavailable\r\nServer: tern\r\nDate: Sun, 06 Nov 1994 08:49:37 "
            "GMT\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\nback soon");
  r.status = 301;
  r.content_type = {};
  r.body = {};
  r.extra_fields = "Location: https://x/\r\n";
  r.close = true;
  encode_local_response(r, kDate, out);  // replaces, not appends
  EXPECT_EQ(out,
            "HTTP/1.1 301 Moved Permanently\r\nServer: tern\r\nDate: Sun, 06 Nov 1994 08:49:37 "
            "GMT\r\nLocation: https://x/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
}

TEST(LocalResponse, Http10KeepAliveHeadAnd204) {
  std::string out;
  LocalResponse r;
  r.status = 418;  // no phrase: the status line keeps its space (RFC 9112 §4)
  r.body = "tea";
  r.client_http10 = true;
  r.head = true;
  encode_local_response(r, kDate, out);
  EXPECT_EQ(out,
            "HTTP/1.1 418 \r\nServer: tern\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
            "Content-Length: 3\r\nConnection: keep-alive\r\n\r\n");
  r.status = 204;
  r.head = false;
  r.client_http10 = false;
  encode_local_response(r, kDate, out);
  EXPECT_EQ(
      out,
      "HTTP/1.1 204 No Content\r\nServer: tern\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n");
}

TEST(LocalResponse, ParsesBackWithItsBody) {
  for (int status : {200, 201, 301, 302, 404, 418, 503, 599}) {
    std::string out;
    LocalResponse r;
    r.status = status;
    r.content_type = "application/json";
    r.body = "{\"a\":1}";
    r.extra_fields = "X-One: 1\r\nX-Two: 2\r\n";
    encode_local_response(r, kDate, out);
    Parser parser(Parser::Kind::kResponse);
    parser.start();
    auto p = parser.feed(out.data(), 0, out.size());
    ASSERT_EQ(p.event, Parser::Event::kHeadComplete) << parser.error_reason() << "\n" << out;
    EXPECT_EQ(parser.head().status, status);
    EXPECT_TRUE(parser.head().keep_alive);
    EXPECT_EQ(find_header(parser.head(), out.data(), "X-Two"), "2");
    EXPECT_EQ(find_header(parser.head(), out.data(), "Content-Type"), "application/json");
    p = parser.feed(out.data(), p.consumed, out.size());
    EXPECT_EQ(p.event, Parser::Event::kMessageComplete) << out;
    EXPECT_EQ(out.substr(out.size() - 7), "{\"a\":1}");
  }
}

}  // namespace
}  // namespace tern::http
