// The request head tern sends to a target (spec: headers to targets): same method and
// fields, HTTP/1.1, hop-by-hop fields and those named in Connection removed,
// X-Forwarded-For / -Proto / -Port and X-Amzn-Trace-Id as ALB sets them, Expect handled by
// tern, chunked framing re-declared. Each case compares the exact bytes.
#include "lb/http/request_encoder.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "lb/http/parser.hpp"
#include "lb/http/trace_id.hpp"

namespace tern::http {
namespace {

constexpr std::string_view kNewTrace = "Root=1-00000000-000000000000000000000000";
constexpr std::string_view kValidTrace = "Root=1-5759e988-bd862e3fe1be46a994272793";

// The trailer tern appends to every head, for client 10.0.0.1 on an HTTP listener, port 80.
std::string tail(std::string_view xff = "X-Forwarded-For: 10.0.0.1\r\n",
                 std::string_view trace = kNewTrace) {
  return std::string(xff) + "X-Forwarded-Proto: http\r\nX-Forwarded-Port: 80\r\n" +
         "X-Amzn-Trace-Id: " + std::string(trace) + "\r\n";
}

struct Encoded {
  EncodeStatus status = EncodeStatus::kOk;
  std::string head;
};

// Parses `wire` as a client request and encodes it for the target.
Encoded encode(std::string_view wire, ForwardInfo info = {}) {
  Parser parser(Parser::Kind::kRequest);
  parser.start();
  auto r = parser.feed(wire.data(), 0, wire.size());
  EXPECT_EQ(r.event, Parser::Event::kHeadComplete) << parser.error_reason() << "\n" << wire;
  if (info.client_ip.empty()) info.client_ip = "10.0.0.1";
  if (info.proto.empty()) info.proto = "http";
  if (info.listener_port == 0) info.listener_port = 80;
  if (info.new_trace_id.empty()) info.new_trace_id = kNewTrace;
  if (info.target.empty()) info.target = parser.head().target.view(wire.data());
  Encoded out;
  out.status = encode_request_head(parser.head(), wire.data(), info, out.head);
  return out;
}

TEST(RequestEncoder, SimpleGet) {
  Encoded e = encode("GET /a?b=c HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n");
  EXPECT_EQ(e.status, EncodeStatus::kOk);
  EXPECT_EQ(e.head,
            "GET /a?b=c HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n" + tail() + "\r\n");
}

TEST(RequestEncoder, EncodedHeadIsAValidRequest) {
  Encoded e = encode(
      "POST /p HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, x-hop\r\nX-Hop: 1\r\n"
      "Transfer-Encoding: chunked\r\nX-Forwarded-For: 1.2.3.4\r\n\r\n");
  Parser parser(Parser::Kind::kRequest);
  parser.start();
  auto r = parser.feed(e.head.data(), 0, e.head.size());
  EXPECT_EQ(r.event, Parser::Event::kHeadComplete) << parser.error_reason() << "\n" << e.head;
  EXPECT_EQ(r.consumed, e.head.size());
  EXPECT_TRUE(parser.head().chunked);
}

TEST(RequestEncoder, AlwaysHttp11) {
  // tern is the client of the target and speaks HTTP/1.1 (RFC 9110 §2.5).
  Encoded e = encode("GET / HTTP/1.0\r\nUser-Agent: old\r\n\r\n");
  EXPECT_EQ(e.head, "GET / HTTP/1.1\r\nUser-Agent: old\r\n" + tail() + "\r\n");
}

TEST(RequestEncoder, UsesTheGivenTarget) {
  ForwardInfo info;
  info.target = "/rewritten?x=1";
  Encoded e = encode("DELETE /original HTTP/1.1\r\nHost: a\r\n\r\n", info);
  EXPECT_EQ(e.head, "DELETE /rewritten?x=1 HTTP/1.1\r\nHost: a\r\n" + tail() + "\r\n");
}

TEST(RequestEncoder, KeepsFieldsOrderCaseAndDuplicates) {
  Encoded e = encode(
      "GET / HTTP/1.1\r\nhost: a\r\nCookie: a=1\r\nX-CaSe: v\r\nCookie: b=2\r\n"
      "X-Empty:\r\nX-Spaced:   inner  spaces  \r\n\r\n");
  EXPECT_EQ(e.head,
            "GET / HTTP/1.1\r\nhost: a\r\nCookie: a=1\r\nX-CaSe: v\r\nCookie: b=2\r\n"
            "X-Empty: \r\nX-Spaced: inner  spaces\r\n" +
                tail() + "\r\n");
}

TEST(RequestEncoder, RemovesHopByHopFields) {
  // RFC 9110 §7.6.1 and the spec: Connection, Keep-Alive, Proxy-*, TE, Trailer,
  // Transfer-Encoding, Upgrade.
  Encoded e = encode(
      "GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n"
      "Proxy-Connection: keep-alive\r\nProxy-Authorization: Basic eA==\r\nTE: trailers\r\n"
      "Trailer: X-Sum\r\nUpgrade: h2c\r\nX-Kept: 1\r\n\r\n");
  EXPECT_EQ(e.head, "GET / HTTP/1.1\r\nHost: a\r\nX-Kept: 1\r\n" + tail() + "\r\n");
}

TEST(RequestEncoder, RemovesFieldsNamedInConnection) {
  Encoded e = encode(
      "GET / HTTP/1.1\r\nHost: a\r\nConnection: X-Foo,  x-bar ,,\r\nX-Foo: 1\r\nX-Bar: 2\r\n"
      "Connection: x-baz\r\nX-Baz: 3\r\nX-Foobar: kept\r\nX-Kept: 4\r\n\r\n");
  EXPECT_EQ(e.head,
            "GET / HTTP/1.1\r\nHost: a\r\nX-Foobar: kept\r\nX-Kept: 4\r\n" + tail() + "\r\n");
}

TEST(RequestEncoder, ConnectionCannotRemoveFraming) {
  // "Connection: Content-Length" must not strip the length tern framed the body with: the
  // target would read the body as the next request (request smuggling past the rules).
  // RFC 9110 §7.6.1 forbids such options for end-to-end fields; tern ignores them.
  Encoded e = encode(
      "POST / HTTP/1.1\r\nHost: a\r\nConnection: Content-Length, Host\r\nContent-Length: 5\r\n"
      "\r\nhello");
  EXPECT_EQ(e.head, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n" + tail() + "\r\n");
}

TEST(RequestEncoder, ConnectionCannotRemoveTernsOwnFields) {
  Encoded e = encode(
      "GET / HTTP/1.1\r\nHost: a\r\nConnection: X-Forwarded-For, X-Forwarded-Proto, "
      "X-Forwarded-Port, X-Amzn-Trace-Id\r\nX-Forwarded-For: 1.1.1.1\r\n\r\n");
  EXPECT_EQ(e.head, "GET / HTTP/1.1\r\nHost: a\r\n" +
                        tail("X-Forwarded-For: 1.1.1.1, 10.0.0.1\r\n") + "\r\n");
}

TEST(RequestEncoder, SixteenConnectionNamesAreAllRemoved) {
  std::string wire = "GET / HTTP/1.1\r\nHost: a\r\nConnection: ";
  std::string fields;
  for (int i = 0; i < 16; ++i) {
    wire += (i ? ", x-" : "x-") + std::to_string(i);
    fields += "X-" + std::to_string(i) + ": v\r\n";
  }
  Encoded e = encode(wire + "\r\n" + fields + "X-Kept: 1\r\n\r\n");
  EXPECT_EQ(e.head, "GET / HTTP/1.1\r\nHost: a\r\nX-Kept: 1\r\n" + tail() + "\r\n");
}

TEST(RequestEncoder, XffAppend) {
  struct Case {
    std::string fields;
    std::string expected;  // the fields tern sends, without the common tail
  };
  for (const Case& c : {
           Case{"", "X-Forwarded-For: 10.0.0.1\r\n"},
           Case{"X-Forwarded-For: 1.1.1.1\r\n", "X-Forwarded-For: 1.1.1.1, 10.0.0.1\r\n"},
           Case{"X-Forwarded-For: 1.1.1.1, 2.2.2.2\r\n",
                "X-Forwarded-For: 1.1.1.1, 2.2.2.2, 10.0.0.1\r\n"},
           // Several lines are one list (RFC 9110 §5.3): merged in order at the first.
           Case{"x-forwarded-for: 1.1.1.1\r\nX-A: b\r\nX-Forwarded-For: 2.2.2.2\r\n",
                "X-Forwarded-For: 1.1.1.1, 2.2.2.2, 10.0.0.1\r\nX-A: b\r\n"},
       }) {
    Encoded e = encode("GET / HTTP/1.1\r\nHost: a\r\n" + c.fields + "\r\n");
    EXPECT_EQ(e.status, EncodeStatus::kOk);
    // The merged X-Forwarded-For sits where the first line was, else before the tail.
    std::string expected_head = "GET / HTTP/1.1\r\nHost: a\r\n";
    if (c.fields.empty()) {
      expected_head += tail();
    } else {
      expected_head += c.expected + tail("");
    }
    EXPECT_EQ(e.head, expected_head + "\r\n") << c.fields;
  }
}

TEST(RequestEncoder, XffAppendIpv6Client) {
  ForwardInfo info;
  info.client_ip = "2001:db8::1";
  Encoded e = encode("GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 1.1.1.1\r\n\r\n", info);
  EXPECT_EQ(e.head, "GET / HTTP/1.1\r\nHost: a\r\n" +
                        tail("X-Forwarded-For: 1.1.1.1, 2001:db8::1\r\n") + "\r\n");
}

TEST(RequestEncoder, XffPreserve) {
  ForwardInfo info;
  info.xff = XffMode::kPreserve;
  Encoded none = encode("GET / HTTP/1.1\r\nHost: a\r\n\r\n", info);
  EXPECT_EQ(none.head, "GET / HTTP/1.1\r\nHost: a\r\n" + tail("") + "\r\n");
  Encoded some = encode(
      "GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 1.1.1.1\r\nX-Forwarded-For: 2.2.2.2\r\n\r\n",
      info);
  EXPECT_EQ(some.head, "GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 1.1.1.1, 2.2.2.2\r\n" +
                           tail("") + "\r\n");
}

TEST(RequestEncoder, XffRemove) {
  ForwardInfo info;
  info.xff = XffMode::kRemove;
  Encoded e = encode(
      "GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 1.1.1.1\r\nX-Forwarded-For: 2.2.2.2\r\n\r\n",
      info);
  EXPECT_EQ(e.head, "GET / HTTP/1.1\r\nHost: a\r\n" + tail("") + "\r\n");
}

std::string addresses(int n) {
  std::string list;
  for (int i = 0; i < n; ++i) list += (i ? ", 10.1.0." : "10.1.0.") + std::to_string(i);
  return list;
}

TEST(RequestEncoder, ThirtyForwardedAddressesAreFine) {
  Encoded e = encode("GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: " + addresses(30) + "\r\n\r\n");
  EXPECT_EQ(e.status, EncodeStatus::kOk);
  EXPECT_NE(e.head.find(addresses(30) + ", 10.0.0.1\r\n"), std::string::npos) << e.head;
}

TEST(RequestEncoder, MoreThanThirtyForwardedAddressesIs463) {
  // ALB answers 463 when the incoming X-Forwarded-For lists more than 30 addresses,
  // also spread over several lines, whatever the processing mode.
  for (XffMode mode : {XffMode::kAppend, XffMode::kPreserve, XffMode::kRemove}) {
    ForwardInfo info;
    info.xff = mode;
    EXPECT_EQ(
        encode("GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: " + addresses(31) + "\r\n\r\n", info)
            .status,
        EncodeStatus::kTooManyForwardedFor);
    EXPECT_EQ(encode("GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: " + addresses(20) +
                         "\r\nX-Forwarded-For: " + addresses(11) + "\r\n\r\n",
                     info)
                  .status,
              EncodeStatus::kTooManyForwardedFor);
  }
  EXPECT_EQ(kMaxForwardedFor, 30);
}

TEST(RequestEncoder, EmptyListEntriesAreNotAddresses) {
  Encoded e =
      encode("GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: " + addresses(30) + ", , ,\r\n\r\n");
  EXPECT_EQ(e.status, EncodeStatus::kOk);
}

TEST(RequestEncoder, ForwardedProtoAndPortAreTerns) {
  ForwardInfo info;
  info.proto = "https";
  info.listener_port = 8443;
  Encoded e = encode(
      "GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-Proto: gopher\r\nX-Forwarded-Port: 1\r\n"
      "x-forwarded-proto: http\r\n\r\n",
      info);
  EXPECT_EQ(e.head,
            "GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 10.0.0.1\r\nX-Forwarded-Proto: https\r\n"
            "X-Forwarded-Port: 8443\r\nX-Amzn-Trace-Id: " +
                std::string(kNewTrace) + "\r\n\r\n");
  for (uint16_t port : {uint16_t{1}, uint16_t{80}, uint16_t{65535}}) {
    info.listener_port = port;
    Encoded p = encode("GET / HTTP/1.1\r\nHost: a\r\n\r\n", info);
    EXPECT_NE(p.head.find("\r\nX-Forwarded-Port: " + std::to_string(port) + "\r\n"),
              std::string::npos)
        << p.head;
  }
}

TEST(RequestEncoder, TraceIdKeptWhenValid) {
  for (std::string trace :
       {std::string(kValidTrace), std::string("Root=1-5759E988-BD862E3FE1BE46A994272793"),
        std::string("Self=1-67891233-abcdef012345678912345678;Root=1-5759e988-"
                    "bd862e3fe1be46a994272793;Sampled=1"),
        std::string("Root=1-5759e988-bd862e3fe1be46a994272793;CalledFrom=app")}) {
    Encoded e = encode("GET / HTTP/1.1\r\nHost: a\r\nX-Amzn-Trace-Id: " + trace + "\r\n\r\n");
    EXPECT_EQ(e.head, "GET / HTTP/1.1\r\nHost: a\r\n" +
                          tail("X-Forwarded-For: 10.0.0.1\r\n", trace) + "\r\n");
  }
}

TEST(RequestEncoder, TraceIdReplacedWhenInvalidOrAbsent) {
  for (std::string field : {"", "X-Amzn-Trace-Id: garbage\r\n", "X-Amzn-Trace-Id:\r\n",
                            "X-Amzn-Trace-Id: Root=1-5759e988-bd862e3f\r\n",
                            "X-Amzn-Trace-Id: Root=2-5759e988-bd862e3fe1be46a994272793\r\n",
                            "x-amzn-trace-id: Self=1-5759e988-bd862e3fe1be46a994272793\r\n"}) {
    Encoded e = encode("GET / HTTP/1.1\r\nHost: a\r\n" + field + "\r\n");
    EXPECT_EQ(e.head, "GET / HTTP/1.1\r\nHost: a\r\n" + tail() + "\r\n") << field;
  }
}

TEST(RequestEncoder, OnlyTheFirstTraceIdCounts) {
  Encoded e = encode("GET / HTTP/1.1\r\nHost: a\r\nX-Amzn-Trace-Id: " + std::string(kValidTrace) +
                     "\r\nX-Amzn-Trace-Id: Root=1-11111111-111111111111111111111111\r\n\r\n");
  EXPECT_EQ(e.head, "GET / HTTP/1.1\r\nHost: a\r\n" +
                        tail("X-Forwarded-For: 10.0.0.1\r\n", kValidTrace) + "\r\n");
}

TEST(RequestEncoder, GeneratedTraceIdIsUsed) {
  TraceIdGenerator gen(42);
  char buf[41];
  ForwardInfo info;
  info.new_trace_id = gen.next(0x5759e988, buf);
  Encoded e = encode("GET / HTTP/1.1\r\nHost: a\r\n\r\n", info);
  EXPECT_NE(e.head.find("\r\nX-Amzn-Trace-Id: Root=1-5759e988-"), std::string::npos) << e.head;
}

TEST(RequestEncoder, ExpectIsAnsweredByTernNotForwarded) {
  Encoded e =
      encode("PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc");
  EXPECT_EQ(e.head, "PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n" + tail() + "\r\n");
}

TEST(RequestEncoder, ChunkedBodyIsRedeclared) {
  // Transfer-Encoding is hop-by-hop (removed with the rest), but the body is forwarded in
  // its chunked framing, so the target must be told.
  Encoded e =
      encode("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nX-A: b\r\n\r\n0\r\n\r\n");
  EXPECT_EQ(e.head, "POST / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n" + tail() +
                        "Transfer-Encoding: chunked\r\n\r\n");
}

TEST(RequestEncoder, ContentLengthIsKept) {
  Encoded e = encode("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(e.head, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n" + tail() + "\r\n");
}

TEST(RequestEncoder, OutputBufferIsReplacedNotAppended) {
  std::string wire = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  Parser parser(Parser::Kind::kRequest);
  parser.start();
  parser.feed(wire.data(), 0, wire.size());
  ForwardInfo info;
  info.client_ip = "10.0.0.1";
  info.proto = "http";
  info.listener_port = 80;
  info.new_trace_id = kNewTrace;
  info.target = "/";
  std::string out = "stale bytes from the previous request";
  encode_request_head(parser.head(), wire.data(), info, out);
  std::string first = out;
  encode_request_head(parser.head(), wire.data(), info, out);
  EXPECT_EQ(out, first);
  EXPECT_EQ(out, "GET / HTTP/1.1\r\nHost: a\r\n" + tail() + "\r\n");
}

}  // namespace
}  // namespace tern::http
