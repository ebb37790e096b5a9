// Responses from targets: the framing rules of RFC 9112 §6.3 (HEAD, 1xx, 204 and 304 have
// no body; Content-Length; chunked; otherwise until close) and kBadResponse (502) for
// anything tern could not relay unambiguously.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "lb/http/parser.hpp"
#include "tests/unit/http/parser_driver.hpp"

namespace tern::http::testing {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

TEST(ParserResponse, ContentLengthBody) {
  std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b\r\n\r\n";
  Outcome o = parse_response(head + "hello");
  EXPECT_EQ(o.event, Parser::Event::kMessageComplete) << o;
  EXPECT_EQ(o.status, 200);
  EXPECT_EQ(o.reason, "OK");
  EXPECT_EQ(o.major, 1);
  EXPECT_EQ(o.minor, 1);
  EXPECT_EQ(o.headers, (Headers{{"Content-Length", "5"}, {"X-A", "b"}}));
  EXPECT_TRUE(o.has_content_length);
  EXPECT_EQ(o.content_length, 5u);
  EXPECT_FALSE(o.until_close);
  EXPECT_EQ(o.head_bytes, head.size());
  EXPECT_EQ(o.body, "hello");
  EXPECT_EQ(o.consumed, head.size() + 5);
  EXPECT_TRUE(o.keep_alive);
}

TEST(ParserResponse, ReasonPhrases) {
  for (std::string reason : {"OK", "Not Found", "", "Any text at all", "\xc3\xa9t\xc3\xa9"}) {
    Outcome o = parse_response("HTTP/1.1 404 " + reason + "\r\nContent-Length: 0\r\n\r\n");
    EXPECT_EQ(o.event, Parser::Event::kMessageComplete) << "[" << reason << "] " << o;
    EXPECT_EQ(o.status, 404);
    EXPECT_EQ(o.reason, reason);
  }
}

TEST(ParserResponse, ChunkedBodyIsDecodedIntoPieces) {
  std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  std::string body = "3\r\nabc\r\n4;ext=1\r\ndefg\r\n0\r\nX-Trailer: t\r\n\r\n";
  for (size_t step : {kAllAtOnce, size_t{1}, size_t{4}}) {
    Outcome o = parse_response(head + body, step);
    EXPECT_EQ(o.event, Parser::Event::kMessageComplete) << o;
    EXPECT_TRUE(o.chunked);
    EXPECT_FALSE(o.until_close);
    EXPECT_EQ(o.body, "abcdefg");
    EXPECT_EQ(o.body_bytes, 7u);
    EXPECT_EQ(o.consumed, head.size() + body.size());
    if (step == kAllAtOnce) {
      EXPECT_EQ(o.pieces, 2u);
    }
  }
}

TEST(ParserResponse, NoBodyStatusesIgnoreContentLength) {
  // RFC 9112 §6.3 rule 1: 1xx, 204 and 304 end at the head whatever the fields say; the
  // bytes after it belong to the next response.
  for (int status : {100, 102, 103, 204, 304}) {
    for (std::string framing : {"", "Content-Length: 5\r\n", "Transfer-Encoding: chunked\r\n"}) {
      std::string head = "HTTP/1.1 " + std::to_string(status) + " X\r\n" + framing + "\r\n";
      std::string wire = head + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
      for (size_t step : {kAllAtOnce, size_t{1}}) {
        Outcome o = parse_response(wire, step);
        EXPECT_EQ(o.event, Parser::Event::kMessageComplete) << status << framing << o;
        EXPECT_EQ(o.status, status);
        EXPECT_EQ(o.body, "");
        EXPECT_EQ(o.consumed, head.size()) << status << " " << framing;
        EXPECT_FALSE(o.until_close);
      }
    }
  }
}

TEST(ParserResponse, ResponseToHeadHasNoBody) {
  // RFC 9110 §9.3.2: the fields describe the body a GET would have had.
  for (std::string framing :
       {"Content-Length: 1000\r\n", "Transfer-Encoding: chunked\r\n", "Connection: close\r\n"}) {
    std::string head = "HTTP/1.1 200 OK\r\n" + framing + "\r\n";
    std::string wire = head + "HTTP/1.1 204 No Content\r\n\r\n";
    for (size_t step : {kAllAtOnce, size_t{1}}) {
      Outcome o = parse_response(wire, step, /*request_was_head=*/true);
      EXPECT_EQ(o.event, Parser::Event::kMessageComplete) << framing << o;
      EXPECT_EQ(o.body, "");
      EXPECT_EQ(o.consumed, head.size()) << framing;
      EXPECT_FALSE(o.until_close) << framing;
    }
  }
}

TEST(ParserResponse, InterimThenFinalOnOneParser) {
  std::string interim = "HTTP/1.1 100 Continue\r\n\r\n";
  std::string final_response = "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok";
  std::string wire = interim + final_response;
  Parser p(Parser::Kind::kResponse);
  Outcome first = drive(p, wire);
  EXPECT_EQ(first.status, 100);
  EXPECT_EQ(first.consumed, interim.size());
  DriveOptions options;
  options.from = first.consumed;
  Outcome second = drive(p, wire, options);
  EXPECT_EQ(second.event, Parser::Event::kMessageComplete) << second;
  EXPECT_EQ(second.status, 201);
  EXPECT_EQ(second.body, "ok");
  EXPECT_EQ(second.consumed, final_response.size());
}

TEST(ParserResponse, CloseDelimitedBody) {
  // RFC 9112 §6.3 rule 8: no Content-Length, not chunked: the body runs until close.
  for (std::string head :
       {"HTTP/1.1 200 OK\r\n\r\n", "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n",
        "HTTP/1.0 200 OK\r\nServer: old\r\n\r\n"}) {
    std::string wire = head + "all of this is body\r\n\r\nHTTP/1.1 200 OK\r\n\r\n";
    for (size_t step : {kAllAtOnce, size_t{1}, size_t{6}}) {
      Outcome open = parse_response(wire, step);
      EXPECT_TRUE(open.head_complete) << open;
      EXPECT_TRUE(open.until_close) << head;
      EXPECT_EQ(open.event, Parser::Event::kNeedMore) << "complete only when the peer closes";
      EXPECT_EQ(open.body, wire.substr(head.size()));
      EXPECT_FALSE(open.keep_alive);

      Outcome closed = parse_response(wire, step, false, /*finish_at_eof=*/true);
      EXPECT_EQ(closed.event, Parser::Event::kMessageComplete) << closed;
      EXPECT_EQ(closed.error, ParseError::kNone);
      EXPECT_EQ(closed.body, wire.substr(head.size()));
    }
  }
}

TEST(ParserResponse, CloseDelimitedEmptyBody) {
  Outcome o = parse_response("HTTP/1.1 200 OK\r\n\r\n", kAllAtOnce, false, true);
  EXPECT_EQ(o.event, Parser::Event::kMessageComplete) << o;
  EXPECT_TRUE(o.until_close);
  EXPECT_EQ(o.body, "");
}

TEST(ParserResponse, FramedBodiesAreNotUntilClose) {
  EXPECT_FALSE(parse_response("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n").until_close);
  EXPECT_FALSE(parse_response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n").until_close);
  EXPECT_FALSE(parse_response("HTTP/1.1 204 No Content\r\n\r\n").until_close);
  EXPECT_FALSE(parse_response("HTTP/1.1 200 OK\r\n\r\n", kAllAtOnce, true).until_close);
}

TEST(ParserResponse, UntilCloseIsKnownAtTheHead) {
  // The exchange decides at the head whether the client connection must close after the
  // body; a 204 or a HEAD response must not look close-delimited then.
  struct Case {
    std::string wire;
    bool request_was_head;
    bool until_close;
  };
  for (const Case& c :
       {Case{"HTTP/1.1 204 No Content\r\n\r\n", false, false},
        Case{"HTTP/1.1 304 Not Modified\r\n\r\n", false, false},
        Case{"HTTP/1.1 103 Early Hints\r\n\r\n", false, false},
        Case{"HTTP/1.1 200 OK\r\n\r\n", true, false}, Case{"HTTP/1.1 200 OK\r\n\r\n", false, true},
        Case{"HTTP/1.1 404 Not Found\r\n\r\n", false, true}}) {
    Parser p(Parser::Kind::kResponse);
    p.start(c.request_was_head);
    auto r = p.feed(c.wire.data(), 0, c.wire.size());
    ASSERT_EQ(r.event, Parser::Event::kHeadComplete) << c.wire;
    EXPECT_EQ(p.body_until_close(), c.until_close) << c.wire;
    r = p.feed(c.wire.data(), c.wire.size(), c.wire.size());
    EXPECT_EQ(p.body_until_close(), c.until_close) << c.wire;
    EXPECT_EQ(r.event, c.until_close ? Parser::Event::kNeedMore : Parser::Event::kMessageComplete);
  }
}

TEST(ParserResponse, TruncatedBodyIsBadResponse) {
  for (std::string wire : {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
                           "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
                           "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n",
                           "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n", "HTTP/1.1 200", ""}) {
    Outcome o = parse_response(wire, kAllAtOnce, false, true);
    EXPECT_EQ(o.event, Parser::Event::kError) << "[" << wire << "] " << o;
    EXPECT_EQ(o.error, ParseError::kBadResponse);
  }
}

TEST(ParserResponse, KeepAlive) {
  struct Case {
    std::string wire;
    bool keep_alive;
  };
  for (const Case& c : {
           Case{"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", true},
           Case{"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", false},
           Case{"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", false},
           Case{"HTTP/1.0 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n", true},
       }) {
    Outcome o = parse_response(c.wire);
    EXPECT_EQ(o.event, Parser::Event::kMessageComplete) << c.wire << o;
    EXPECT_EQ(o.keep_alive, c.keep_alive) << c.wire;
  }
}

TEST(ParserResponse, ManyChunksInOneRead) {
  std::string wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  std::string expected;
  for (int i = 0; i < 300; ++i) {
    std::string data(static_cast<size_t>(i % 5 + 1), static_cast<char>('a' + i % 26));
    wire += std::to_string(data.size()) + "\r\n" + data + "\r\n";
    expected += data;
  }
  wire += "0\r\n\r\n";
  Outcome o = parse_response(wire);
  EXPECT_EQ(o.event, Parser::Event::kMessageComplete) << o;
  EXPECT_EQ(o.body, expected);
  EXPECT_EQ(o.pieces, 300u);
  EXPECT_EQ(o.consumed, wire.size());
}

struct BadResponseCase {
  const char* name;
  std::string wire;
};

void PrintTo(const BadResponseCase& c, std::ostream* os) {
  *os << c.name;
}

class BadResponseTest : public ::testing::TestWithParam<BadResponseCase> {};

TEST_P(BadResponseTest, IsBadResponse) {
  for (size_t step : {kAllAtOnce, size_t{1}, size_t{3}}) {
    Outcome o = parse_response(GetParam().wire, step);
    EXPECT_EQ(o.event, Parser::Event::kError) << "step " << step << " " << o;
    EXPECT_EQ(o.error, ParseError::kBadResponse) << "step " << step;
  }
}

using namespace std::string_literals;  // NOLINT

INSTANTIATE_TEST_SUITE_P(
    Responses, BadResponseTest,
    ::testing::Values(
        BadResponseCase{"NotHttp", "SSH-2.0-OpenSSH_9.2\r\n"},
        BadResponseCase{"Html", "<html><body>hi</body></html>\r\n\r\n"},
        BadResponseCase{"StatusLetters", "HTTP/1.1 abc OK\r\n\r\n"},
        BadResponseCase{"StatusTwoDigits", "HTTP/1.1 20 OK\r\n\r\n"},
        BadResponseCase{"StatusZeroPadded", "HTTP/1.1 020 OK\r\n\r\n"},
        BadResponseCase{"Status099", "HTTP/1.1 099 OK\r\nContent-Length: 0\r\n\r\n"},
        BadResponseCase{"Status600", "HTTP/1.1 600 X\r\nContent-Length: 0\r\n\r\n"},
        BadResponseCase{"Status999", "HTTP/1.1 999 X\r\nContent-Length: 0\r\n\r\n"},
        BadResponseCase{"NoStatus", "HTTP/1.1\r\n\r\n"},
        BadResponseCase{"StatusFourDigits", "HTTP/1.1 2000 OK\r\n\r\n"},
        BadResponseCase{"Http2", "HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n"},
        BadResponseCase{"Http12", "HTTP/1.2 200 OK\r\nContent-Length: 0\r\n\r\n"},
        BadResponseCase{"VersionGarbage", "HTTP/x.y 200 OK\r\n\r\n"},
        BadResponseCase{"LowercaseHttp", "http/1.1 200 OK\r\n\r\n"},
        BadResponseCase{"BareLfStatusLine", "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n"},
        BadResponseCase{"BareLfField", "HTTP/1.1 200 OK\r\nContent-Length: 0\n\r\n"},
        BadResponseCase{"BareLfEndOfHead", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\n"},
        BadResponseCase{"BareLfAfterLastChunk",
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\n"},
        BadResponseCase{"TrailerObsFold",
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        "0\r\nX-T: a\r\n b\r\n\r\n"},
        BadResponseCase{"ObsFold", "HTTP/1.1 200 OK\r\nX-A: a\r\n b\r\nContent-Length: 0\r\n\r\n"},
        BadResponseCase{"SpaceBeforeColon", "HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n"},
        BadResponseCase{"EmptyFieldName", "HTTP/1.1 200 OK\r\n: v\r\nContent-Length: 0\r\n\r\n"},
        BadResponseCase{"NulInValue", "HTTP/1.1 200 OK\r\nX-A: \0\r\nContent-Length: 0\r\n\r\n"s},
        BadResponseCase{"ContentLengthAndChunked",
                        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: "
                        "chunked\r\n\r\n0\r\n\r\n"},
        BadResponseCase{"DuplicateContentLength",
                        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"},
        BadResponseCase{"ContentLengthAlpha", "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n"},
        BadResponseCase{"ContentLengthNegative", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"},
        BadResponseCase{"TransferEncodingGzip",
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nxxxx"},
        BadResponseCase{"TransferEncodingGzipChunked",
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"},
        BadResponseCase{"TransferEncodingTwoLines",
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: "
                        "chunked\r\n\r\n0\r\n\r\n"},
        BadResponseCase{"BadChunkSize",
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"},
        BadResponseCase{"ChunkDataNoCrlf",
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n"},
        BadResponseCase{"ChunkSizeOverflow",
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        "fffffffffffffffffff\r\n"},
        BadResponseCase{"HugeHeader",
                        "HTTP/1.1 200 OK\r\nX-A: " + std::string(200000, 'a') + "\r\n\r\n"}),
    CaseName());

}  // namespace
}  // namespace tern::http::testing
