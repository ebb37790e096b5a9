// Requests the parser must accept, and what it reports for them: the head as offsets into
// the buffer, framing (Content-Length / chunked), keep-alive, upgrade, body pieces, and the
// protocol of feed(): pauses at the end of the head and of the message, pipelining.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lb/http/parser.hpp"
#include "tests/unit/http/parser_driver.hpp"

namespace tern::http::testing {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

TEST(ParserRequest, SimpleGet) {
  std::string wire = "GET /a/b?c=d HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n";
  Outcome o = parse_request(wire);
  EXPECT_EQ(o.event, Parser::Event::kMessageComplete) << o;
  EXPECT_EQ(o.error, ParseError::kNone);
  EXPECT_TRUE(o.head_complete);
  EXPECT_EQ(o.method, "GET");
  EXPECT_EQ(o.target, "/a/b?c=d");
  EXPECT_EQ(o.major, 1);
  EXPECT_EQ(o.minor, 1);
  EXPECT_EQ(o.headers, (Headers{{"Host", "example.com"}, {"Accept", "*/*"}}));
  EXPECT_FALSE(o.chunked);
  EXPECT_FALSE(o.has_content_length);
  EXPECT_TRUE(o.keep_alive);
  EXPECT_FALSE(o.upgrade);
  EXPECT_EQ(o.head_bytes, wire.size());
  EXPECT_EQ(o.consumed, wire.size());
  EXPECT_EQ(o.body, "");
  EXPECT_EQ(o.body_bytes, 0u);
}

TEST(ParserRequest, MethodCodeMatchesText) {
  struct Case {
    const char* text;
    llhttp_method_t method;
  };
  for (Case c :
       {Case{"GET", HTTP_GET}, Case{"HEAD", HTTP_HEAD}, Case{"POST", HTTP_POST},
        Case{"PUT", HTTP_PUT}, Case{"DELETE", HTTP_DELETE}, Case{"OPTIONS", HTTP_OPTIONS},
        Case{"PATCH", HTTP_PATCH}, Case{"TRACE", HTTP_TRACE}, Case{"CONNECT", HTTP_CONNECT}}) {
    std::string target = c.method == HTTP_CONNECT ? "a:443" : "/";
    std::string wire = std::string(c.text) + " " + target + " HTTP/1.1\r\nHost: a\r\n\r\n";
    Parser p(Parser::Kind::kRequest);
    Outcome o = drive(p, wire);
    EXPECT_TRUE(o.head_complete) << c.text << " " << o;
    EXPECT_EQ(o.method, c.text);
    EXPECT_EQ(p.head().method, c.method) << c.text;
  }
}

TEST(ParserRequest, RequestTargetForms) {
  // RFC 9112 §3.2: origin-form, absolute-form, asterisk-form reach the caller verbatim.
  for (std::string target : {"/", "/x?y=1&z", "http://h.example/p?q", "/%2F%41", "/a;b=c"}) {
    Outcome o = parse_request("GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n");
    EXPECT_EQ(o.event, Parser::Event::kMessageComplete) << target << " " << o;
    EXPECT_EQ(o.target, target);
  }
  Outcome o = parse_request("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(o.event, Parser::Event::kMessageComplete) << o;
  EXPECT_EQ(o.target, "*");
}

TEST(ParserRequest, FieldValuesAreTrimmed) {
  // RFC 9112 §5.1: OWS around the value is not part of it; inner whitespace is.
  Outcome o = parse_request(
      "GET / HTTP/1.1\r\nHost:a\r\nX-A:   spaced  value \t \r\nX-B:\tt\r\nX-Empty:\r\n"
      "X-Spaces:    \r\n\r\n");
  ASSERT_EQ(o.event, Parser::Event::kMessageComplete) << o;
  EXPECT_EQ(o.headers, (Headers{{"Host", "a"},
                                {"X-A", "spaced  value"},
                                {"X-B", "t"},
                                {"X-Empty", ""},
                                {"X-Spaces", ""}}));
}

TEST(ParserRequest, FieldValueMayCarryTabsAndObsText) {
  // RFC 9110 §5.5: field-vchar includes obs-text (0x80-0xFF); HTAB and SP inside are fine.
  Outcome o = parse_request("GET / HTTP/1.1\r\nHost: a\r\nX-A: a\tb c\xe9\xff\r\n\r\n");
  ASSERT_EQ(o.event, Parser::Event::kMessageComplete) << o;
  EXPECT_EQ(o.headers.at(1).second, "a\tb c\xe9\xff");
}

TEST(ParserRequest, FieldNamesKeepTheirCase) {
  Outcome o = parse_request("GET / HTTP/1.1\r\nhOsT: a\r\nX-MiXeD: v\r\n\r\n");
  ASSERT_EQ(o.event, Parser::Event::kMessageComplete) << o;
  EXPECT_EQ(o.headers, (Headers{{"hOsT", "a"}, {"X-MiXeD", "v"}}));
}

TEST(ParserRequest, Http10WithoutHostIsFine) {
  Outcome o = parse_request("GET / HTTP/1.0\r\n\r\n");
  EXPECT_EQ(o.event, Parser::Event::kMessageComplete) << o;
  EXPECT_EQ(o.minor, 0);
  EXPECT_TRUE(o.headers.empty());
}

TEST(ParserRequest, EmptyLineBeforeRequestLineIsIgnored) {
  // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request-line.
  Outcome o = parse_request("\r\nGET /x HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(o.event, Parser::Event::kMessageComplete) << o;
  EXPECT_EQ(o.method, "GET");
  EXPECT_EQ(o.target, "/x");
}

TEST(ParserRequest, RepeatedSpaceInRequestLineIsRejected) {
  // RFC 9112 §3: the grammar is one SP between the parts; recipients MAY be lenient, but
  // tern is strict everywhere two parsers could disagree about a request.
  for (const char* line : {"GET  /x HTTP/1.1", "GET /x  HTTP/1.1"}) {
    Outcome o = parse_request(std::string(line) + "\r\nHost: a\r\n\r\n");
    EXPECT_EQ(o.error, ParseError::kBadRequest) << line << ": " << o;
  }
}

TEST(ParserRequest, H2PrefaceIsRecognizedOnceComplete) {
  // The request line "PRI * HTTP/2.0" alone could still be the start of the preface.
  std::string preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
  Outcome partial = parse_request(preface.substr(0, 18));
  EXPECT_EQ(partial.event, Parser::Event::kNeedMore) << partial;
  EXPECT_EQ(partial.error, ParseError::kNone);
  for (size_t step : {kAllAtOnce, size_t{1}}) {
    Outcome o = parse_request(preface, step);
    EXPECT_EQ(o.event, Parser::Event::kError) << o;
    EXPECT_EQ(o.error, ParseError::kBadVersion);
  }
}

TEST(ParserRequest, EmptyHostIsAccepted) {
  // RFC 9112 §3.2: an empty Host is allowed when the target has no authority.
  Outcome o = parse_request("GET / HTTP/1.1\r\nHost:\r\n\r\n");
  EXPECT_EQ(o.event, Parser::Event::kMessageComplete) << o;
}

TEST(ParserRequest, ContentLengthBody) {
  std::string head = "POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n";
  Outcome o = parse_request(head + "hello world");
  EXPECT_EQ(o.event, Parser::Event::kMessageComplete) << o;
  EXPECT_TRUE(o.has_content_length);
  EXPECT_EQ(o.content_length, 11u);
  EXPECT_FALSE(o.chunked);
  EXPECT_EQ(o.head_bytes, head.size());
  EXPECT_EQ(o.body, "hello world");
  EXPECT_EQ(o.body_bytes, 11u);
  EXPECT_EQ(o.consumed, head.size() + 11);
}

TEST(ParserRequest, ContentLengthSpellings) {
  // One value, OWS around it, leading zeros: all the same number.
  for (std::string cl : {"5", " 5", "5 ", "  5  ", "\t5", " \t5 ", "005"}) {
    Outcome o =
        parse_request("POST / HTTP/1.1\r\nHost: a\r\nContent-Length:" + cl + "\r\n\r\nhello");
    EXPECT_EQ(o.event, Parser::Event::kMessageComplete) << "[" << cl << "] " << o;
    EXPECT_EQ(o.content_length, 5u);
    EXPECT_EQ(o.body, "hello");
  }
  Outcome zero = parse_request("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(zero.event, Parser::Event::kMessageComplete) << zero;
  EXPECT_TRUE(zero.has_content_length);
  EXPECT_EQ(zero.content_length, 0u);
}

// DISABLED: llhttp 8.1 refuses a trailing HTAB after the Content-Length digits ("Invalid
// character in Content-Length"), although RFC 9110 §5.5 makes SP and HTAB equally OWS. It
// fails closed (400 for a request no real client sends), and the fix belongs in llhttp
// (later releases), not in tern's wrapper.
TEST(ParserRequest, DISABLED_ContentLengthWithTrailingTab) {
  Outcome o = parse_request("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\t\r\n\r\nhello");
  EXPECT_EQ(o.event, Parser::Event::kMessageComplete) << o;
  EXPECT_EQ(o.body, "hello");
}

TEST(ParserRequest, LargeContentLengthIsNumberNotOverflow) {
  Outcome o =
      parse_request("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 18446744073709551614\r\n\r\n");
  EXPECT_TRUE(o.head_complete) << o;
  EXPECT_EQ(o.error, ParseError::kNone);
  EXPECT_EQ(o.content_length, 18446744073709551614u);
  EXPECT_EQ(o.event, Parser::Event::kNeedMore);
}

TEST(ParserRequest, ChunkedBodyIsDecoded) {
  std::string head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
  std::string body = "5\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\n\r\n";
  Outcome o = parse_request(head + body);
  EXPECT_EQ(o.event, Parser::Event::kMessageComplete) << o;
  EXPECT_TRUE(o.chunked);
  EXPECT_FALSE(o.has_content_length);
  EXPECT_EQ(o.head_bytes, head.size());
  EXPECT_EQ(o.body, "hello 0123456789");
  EXPECT_EQ(o.body_bytes, 16u);
  EXPECT_EQ(o.consumed, head.size() + body.size());
}

TEST(ParserRequest, BodyDataMayContainAnyBytes) {
  // Line-end rules apply to the chunk framing only: data is opaque, also "\n " (which
  // would be obs-fold in a head) and bare CR/LF, NUL and DEL.
  std::string data("x\n y\r\n\tz\r\0\x7f\nab", 14);  // 14 bytes, no terminator
  std::string hex = "e";
  std::string cl = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 14\r\n\r\n" + data;
  std::string chunked = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + hex +
                        "\r\n" + data + "\r\n1\r\n\n\r\n1\r\n \r\n0\r\n\r\n";
  for (size_t step : {kAllAtOnce, size_t{1}, size_t{2}, size_t{3}}) {
    Outcome a = parse_request(cl, step);
    EXPECT_EQ(a.event, Parser::Event::kMessageComplete) << a;
    EXPECT_EQ(a.body, data);
    Outcome b = parse_request(chunked, step);
    EXPECT_EQ(b.event, Parser::Event::kMessageComplete) << "step " << step << " " << b;
    EXPECT_EQ(b.body, data + "\n ");
  }
}

TEST(ParserRequest, ChunkedIsCaseInsensitive) {
  Outcome o = parse_request(
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ChUnKeD\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
  EXPECT_EQ(o.event, Parser::Event::kMessageComplete) << o;
  EXPECT_TRUE(o.chunked);
  EXPECT_EQ(o.body, "abc");
}

TEST(ParserRequest, ChunkSizesInHexAnyCase) {
  std::string data(0x1f, 'x');
  for (std::string size : {"1f", "1F", "01f", "001F"}) {
    Outcome o = parse_request("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" +
                              size + "\r\n" + data + "\r\n0\r\n\r\n");
    EXPECT_EQ(o.event, Parser::Event::kMessageComplete) << size << " " << o;
    EXPECT_EQ(o.body, data);
  }
}

TEST(ParserRequest, ChunkExtensionsAreAccepted) {
  // RFC 9112 §7.1.1: extensions are ignored by recipients that do not understand them.
  for (std::string ext : {";a", ";a=b", ";a;c", ";a=\"quoted value\"", ";a=\"q\";c=d", ";a;c=d"}) {
    Outcome o = parse_request("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5" +
                              ext + "\r\nhello\r\n0" + ext + "\r\n\r\n");
    EXPECT_EQ(o.event, Parser::Event::kMessageComplete) << "[" << ext << "] " << o;
    EXPECT_EQ(o.body, "hello");
  }
}

// DISABLED: llhttp 8.1 refuses a second extension after a token value (";a=b;c=d" is
// "Invalid character in chunk size"), although RFC 9112 §7.1.1 allows any number. A
// client using such extensions gets 400; the fix belongs in llhttp, not in tern.
TEST(ParserRequest, DISABLED_SeveralChunkExtensionsWithTokenValues) {
  Outcome o = parse_request(
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b;c=d\r\nhello\r\n"
      "0\r\n\r\n");
  EXPECT_EQ(o.event, Parser::Event::kMessageComplete) << o;
  EXPECT_EQ(o.body, "hello");
}

TEST(ParserRequest, TrailersAreAccepted) {
  std::string wire =
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n0\r\nX-Checksum: abc\r\nX-Other: d\r\n\r\n";
  Outcome o = parse_request(wire);
  EXPECT_EQ(o.event, Parser::Event::kMessageComplete) << o;
  EXPECT_EQ(o.body, "hello");
  EXPECT_EQ(o.consumed, wire.size());
  // The head the caller routed on is unchanged by the trailer section.
  EXPECT_EQ(o.headers, (Headers{{"Host", "a"}, {"Transfer-Encoding", "chunked"}}));
}

TEST(ParserRequest, KeepAliveSemantics) {
  // RFC 9112 §9.3: 1.1 persists unless "close"; 1.0 persists only with "keep-alive".
  struct Case {
    std::string wire;
    bool keep_alive;
  };
  for (const Case& c : {
           Case{"GET / HTTP/1.1\r\nHost: a\r\n\r\n", true},
           Case{"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", false},
           Case{"GET / HTTP/1.1\r\nHost: a\r\nConnection: Close\r\n\r\n", false},
           Case{"GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, close\r\n\r\n", false},
           Case{"GET / HTTP/1.1\r\nHost: a\r\nConnection: x-foo, close\r\n\r\n", false},
           Case{"GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\n\r\n", true},
           Case{"GET / HTTP/1.1\r\nHost: a\r\nConnection: x-foo\r\n\r\n", true},
           Case{"GET / HTTP/1.0\r\n\r\n", false},
           Case{"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true},
           Case{"GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", true},
           Case{"GET / HTTP/1.0\r\nConnection: close\r\n\r\n", false},
       }) {
    Outcome o = parse_request(c.wire);
    EXPECT_EQ(o.event, Parser::Event::kMessageComplete) << c.wire << o;
    EXPECT_EQ(o.keep_alive, c.keep_alive) << c.wire;
  }
}

TEST(ParserRequest, UpgradeFlag) {
  std::string upgrade =
      "GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n";
  Outcome o = parse_request(upgrade);
  EXPECT_TRUE(o.head_complete) << o;
  EXPECT_EQ(o.error, ParseError::kNone);
  EXPECT_TRUE(o.upgrade);
  EXPECT_EQ(o.event, Parser::Event::kMessageComplete);
  EXPECT_EQ(o.consumed, upgrade.size());

  // Upgrade without "Connection: upgrade" is not an upgrade request (RFC 9110 §7.8).
  Outcome plain = parse_request("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n");
  EXPECT_EQ(plain.event, Parser::Event::kMessageComplete) << plain;
  EXPECT_FALSE(plain.upgrade);
  Outcome conn_only = parse_request("GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\n\r\n");
  EXPECT_EQ(conn_only.event, Parser::Event::kMessageComplete) << conn_only;
  EXPECT_FALSE(conn_only.upgrade);
}

TEST(ParserRequest, BytesAfterAnUpgradeRequestAreNotConsumed) {
  // tern does not switch protocols (yet): whatever follows is the caller's business.
  std::string first =
      "GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n";
  std::string wire = first + "\x81\x85garbage";
  for (size_t step : {kAllAtOnce, size_t{1}}) {
    Outcome o = parse_request(wire, step);
    EXPECT_EQ(o.event, Parser::Event::kMessageComplete) << o;
    EXPECT_TRUE(o.upgrade);
    EXPECT_EQ(o.consumed, first.size()) << "step " << step;
  }
}

TEST(ParserRequest, HeadCompletePausesBeforeTheBody) {
  std::string head = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\n";
  std::string wire = head + "abc";
  Parser p(Parser::Kind::kRequest);
  p.start();
  auto r = p.feed(wire.data(), 0, wire.size());
  EXPECT_EQ(r.event, Parser::Event::kHeadComplete);
  EXPECT_EQ(r.consumed, head.size());
  EXPECT_EQ(p.head().head_bytes, head.size());
  EXPECT_FALSE(p.message_done());
  EXPECT_EQ(p.body_piece_count(), 0u);
  r = p.feed(wire.data(), head.size(), wire.size());
  EXPECT_EQ(r.event, Parser::Event::kMessageComplete);
  EXPECT_EQ(r.consumed, 3u);
  EXPECT_TRUE(p.message_done());
  ASSERT_EQ(p.body_piece_count(), 1u);
  EXPECT_EQ(p.body_pieces()[0].view(wire.data()), "abc");
}

TEST(ParserRequest, NoBodyMessageCompletesOnAnEmptyFeedAfterTheHead) {
  // The exchange feeds [head_end, end) right after the head, which may be empty.
  std::string wire = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  Parser p(Parser::Kind::kRequest);
  p.start();
  auto r = p.feed(wire.data(), 0, wire.size());
  ASSERT_EQ(r.event, Parser::Event::kHeadComplete);
  EXPECT_EQ(r.consumed, wire.size());
  r = p.feed(wire.data(), wire.size(), wire.size());
  EXPECT_EQ(r.event, Parser::Event::kMessageComplete);
  EXPECT_EQ(r.consumed, 0u);
  EXPECT_TRUE(p.message_done());
}

TEST(ParserRequest, OffsetsAreRelativeToTheBase) {
  // The head may start anywhere in the buffer (after a previous pipelined message).
  std::string prefix = "0123456789";
  std::string wire = prefix + "PUT /x HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nok";
  Parser p(Parser::Kind::kRequest);
  DriveOptions options;
  options.from = prefix.size();
  Outcome o = drive(p, wire, options);
  EXPECT_EQ(o.event, Parser::Event::kMessageComplete) << o;
  EXPECT_EQ(o.method, "PUT");
  EXPECT_EQ(o.target, "/x");
  EXPECT_EQ(o.headers.at(0), (std::pair<std::string, std::string>{"Host", "h"}));
  EXPECT_EQ(o.body, "ok");
  EXPECT_EQ(o.head_bytes, wire.size() - prefix.size() - 2);
  EXPECT_EQ(p.head().method_text.off, prefix.size());
}

TEST(ParserRequest, BodyMayComeFromAnotherBufferAfterTheHead) {
  // The body pump consumes the buffer and feeds from offset 0 of the compacted buffer.
  std::string head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
  Parser p(Parser::Kind::kRequest);
  p.start();
  ASSERT_EQ(p.feed(head.data(), 0, head.size()).event, Parser::Event::kHeadComplete);
  EXPECT_EQ(p.feed(head.data(), head.size(), head.size()).event, Parser::Event::kNeedMore);
  std::string body1 = "4\r\nwiki\r\n5\r\npe";
  auto r = p.feed(body1.data(), 0, body1.size());
  EXPECT_EQ(r.event, Parser::Event::kNeedMore);
  EXPECT_EQ(r.consumed, body1.size());
  std::string got;
  for (size_t i = 0; i < p.body_piece_count(); ++i) got += p.body_pieces()[i].view(body1.data());
  std::string body2 = "dia\r\n0\r\n\r\nGET";
  r = p.feed(body2.data(), 0, body2.size());
  EXPECT_EQ(r.event, Parser::Event::kMessageComplete);
  EXPECT_EQ(r.consumed, body2.size() - 3);
  for (size_t i = 0; i < p.body_piece_count(); ++i) got += p.body_pieces()[i].view(body2.data());
  EXPECT_EQ(got, "wikipedia");
}

TEST(ParserRequest, ManySmallChunksArePausedInto64PieceBatches) {
  std::string head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
  std::string body, expected;
  for (int i = 0; i < 200; ++i) {
    char c = static_cast<char>('a' + i % 26);
    body += "1\r\n";
    body += c;
    body += "\r\n";
    expected += c;
  }
  body += "0\r\n\r\n";
  Parser p(Parser::Kind::kRequest);
  p.start();
  std::string wire = head + body;
  auto r = p.feed(wire.data(), 0, wire.size());
  ASSERT_EQ(r.event, Parser::Event::kHeadComplete);
  size_t pos = r.consumed;
  std::string got;
  int feeds = 0;
  while (r.event != Parser::Event::kMessageComplete) {
    ASSERT_LT(++feeds, 20);
    r = p.feed(wire.data(), pos, wire.size());
    ASSERT_NE(r.event, Parser::Event::kError) << p.error_reason();
    EXPECT_LE(p.body_piece_count(), 64u);
    if (r.event == Parser::Event::kNeedMore) {
      // Stopped early because the piece table is full: consumed < available.
      EXPECT_EQ(p.body_piece_count(), 64u);
      EXPECT_LT(pos + r.consumed, wire.size());
    }
    for (size_t i = 0; i < p.body_piece_count(); ++i) got += p.body_pieces()[i].view(wire.data());
    pos += r.consumed;
  }
  EXPECT_EQ(got, expected);
  EXPECT_EQ(pos, wire.size());
  EXPECT_GE(feeds, 4);
}

struct PipelineCase {
  const char* name;
  std::vector<std::string> messages;
};

class ParserPipelineTest : public ::testing::TestWithParam<PipelineCase> {};

TEST_P(ParserPipelineTest, EachMessageConsumesOnlyItsOwnBytes) {
  const auto& messages = GetParam().messages;
  std::string wire;
  for (const auto& m : messages) wire += m;
  for (size_t step : {kAllAtOnce, size_t{1}, size_t{5}}) {
    Parser p(Parser::Kind::kRequest);  // one parser reused, as on a connection
    size_t from = 0;
    for (size_t i = 0; i < messages.size(); ++i) {
      DriveOptions options;
      options.from = from;
      options.step = step;
      Outcome o = drive(p, wire, options);
      ASSERT_EQ(o.event, Parser::Event::kMessageComplete) << "message " << i << " " << o;
      EXPECT_EQ(o.consumed, messages[i].size()) << "message " << i << " step " << step;
      EXPECT_EQ(o.method, messages[i].substr(0, messages[i].find(' ')));
      from += o.consumed;
    }
    EXPECT_EQ(from, wire.size());
  }
}

INSTANTIATE_TEST_SUITE_P(
    Requests, ParserPipelineTest,
    ::testing::Values(
        PipelineCase{"TwoGets",
                     {"GET /1 HTTP/1.1\r\nHost: a\r\n\r\n", "GET /2 HTTP/1.1\r\nHost: a\r\n\r\n"}},
        PipelineCase{"PostThenGet",
                     {"POST /1 HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nGET ",
                      "GET /2 HTTP/1.1\r\nHost: a\r\n\r\n"}},
        PipelineCase{"ChunkedThenGet",
                     {"POST /1 HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "3\r\nGET\r\n0\r\nX-T: 1\r\n\r\n",
                      "GET /2 HTTP/1.1\r\nHost: a\r\n\r\n"}},
        PipelineCase{"Http10KeepAliveThenPut",
                     {"GET /1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
                      "PUT /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\nx",
                      "DELETE /3 HTTP/1.1\r\nHost: a\r\n\r\n"}}),
    CaseName());

TEST(ParserRequest, StartResetsEverything) {
  Parser p(Parser::Kind::kRequest);
  Outcome bad = drive(p, std::string("GET / HTTP/1.1\r\nHost: a\r\nX: \x01\r\n\r\n"));
  ASSERT_EQ(bad.event, Parser::Event::kError);
  Outcome good = drive(p, std::string("POST /z HTTP/1.0\r\nContent-Length: 1\r\n\r\nq"));
  EXPECT_EQ(good.event, Parser::Event::kMessageComplete) << good;
  EXPECT_EQ(good.error, ParseError::kNone);
  EXPECT_EQ(good.target, "/z");
  EXPECT_EQ(good.headers.size(), 1u);
  EXPECT_EQ(good.body, "q");
  EXPECT_FALSE(good.keep_alive);
}

TEST(ParserRequest, FinishBeforeCompleteIsBadRequest) {
  for (std::string wire :
       {"GET / HTTP/1.1\r\nHost: a\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nab",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n"}) {
    Parser p(Parser::Kind::kRequest);
    DriveOptions options;
    options.finish_at_eof = true;
    Outcome o = drive(p, wire, options);
    EXPECT_EQ(o.event, Parser::Event::kError) << o;
    EXPECT_EQ(o.error, ParseError::kBadRequest);
  }
}

}  // namespace
}  // namespace tern::http::testing
