// Listener limits enforced by the parser while the head arrives (spec: limits): 414 for a
// long request line, 431 for a large header section, 413 for a large body; each also when
// the bytes trickle in, and before tern has buffered much more than the limit.
#include <gtest/gtest.h>

#include <string>

#include "lb/http/parser.hpp"
#include "tests/unit/http/parser_driver.hpp"

namespace tern::http::testing {
namespace {

constexpr ParserLimits kSmall{64, 256, 100};
// What the parser may have read beyond a limit before noticing: the request line around
// the URI, ": " and CRLF of the field being read, and one read of the test driver.
constexpr size_t kSlack = 64;

const size_t kSteps[] = {kAllAtOnce, 1, 3, 7, 64};

std::string with_target(size_t len) {
  return "GET /" + std::string(len - 1, 'u') + " HTTP/1.1\r\nHost: a\r\n\r\n";
}

TEST(ParserLimits, TargetAtTheLimitIsAccepted) {
  for (size_t step : kSteps) {
    Outcome o = parse_request(with_target(64), step, kSmall);
    EXPECT_EQ(o.event, Parser::Event::kMessageComplete) << "step " << step << " " << o;
    EXPECT_EQ(o.target.size(), 64u);
  }
}

TEST(ParserLimits, TargetOverTheLimitIs414) {
  for (size_t step : kSteps) {
    Outcome o = parse_request(with_target(65), step, kSmall);
    EXPECT_EQ(o.event, Parser::Event::kError) << "step " << step << " " << o;
    EXPECT_EQ(o.error, ParseError::kUriTooLong) << "step " << step;
    EXPECT_FALSE(o.head_complete);
  }
}

TEST(ParserLimits, EndlessTargetIsRefusedEarly) {
  // A URI in many small pieces with no end in sight: 414 before tern buffers it all.
  std::string wire = "GET /" + std::string(100000, 'u');
  for (size_t step : kSteps) {
    Outcome o = parse_request(wire, step, kSmall);
    EXPECT_EQ(o.event, Parser::Event::kError) << "step " << step << " " << o;
    EXPECT_EQ(o.error, ParseError::kUriTooLong) << "step " << step;
    if (step != kAllAtOnce) {
      EXPECT_LE(o.seen, 64 + kSlack + step) << "step " << step;
    }
  }
}

TEST(ParserLimits, DefaultRequestLineLimitIs16KiB) {
  EXPECT_EQ(ParserLimits{}.max_request_line, 16u * 1024);
  EXPECT_EQ(ParserLimits{}.max_header_bytes, 64u * 1024);
  EXPECT_EQ(ParserLimits{}.max_body_bytes, 0u);
  for (size_t step : {kAllAtOnce, size_t{1000}}) {
    EXPECT_EQ(parse_request(with_target(16 * 1024), step).event, Parser::Event::kMessageComplete);
    EXPECT_EQ(parse_request(with_target(16 * 1024 + 1), step).error, ParseError::kUriTooLong);
  }
}

// The header section is counted as ALB and nginx do: name, value, ": " and CRLF per field.
// "Host: a" is 4 + 1 + 4 = 9 bytes, "X: <v>" 1 + v + 4: 14 + v in all.
std::string with_field_value(size_t v) {
  return "GET / HTTP/1.1\r\nHost: a\r\nX: " + std::string(v, 'v') + "\r\n\r\n";
}

TEST(ParserLimits, HeadersAtTheLimitAreAccepted) {
  for (size_t step : kSteps) {
    Outcome o = parse_request(with_field_value(256 - 14), step, kSmall);
    EXPECT_EQ(o.event, Parser::Event::kMessageComplete) << "step " << step << " " << o;
  }
}

TEST(ParserLimits, HeadersOverTheLimitAre431) {
  for (size_t step : kSteps) {
    Outcome o = parse_request(with_field_value(256 - 13), step, kSmall);
    EXPECT_EQ(o.event, Parser::Event::kError) << "step " << step << " " << o;
    EXPECT_EQ(o.error, ParseError::kHeadersTooLarge) << "step " << step;
  }
}

TEST(ParserLimits, ManySmallFieldsAdd) {
  std::string wire = "GET / HTTP/1.1\r\nHost: a\r\n";
  for (int i = 0; i < 40; ++i) wire += "X-" + std::to_string(i) + ": v\r\n";
  wire += "\r\n";
  for (size_t step : kSteps) {
    Outcome o = parse_request(wire, step, kSmall);
    EXPECT_EQ(o.error, ParseError::kHeadersTooLarge) << "step " << step << " " << o;
  }
  // The same fields fit the default limit.
  EXPECT_EQ(parse_request(wire).event, Parser::Event::kMessageComplete);
}

TEST(ParserLimits, ManyEmptyFieldsAdd) {
  std::string wire = "GET / HTTP/1.1\r\nHost: a\r\n";
  for (int i = 0; i < 100; ++i) wire += "X:\r\n";
  wire += "\r\n";
  for (size_t step : kSteps) {
    Outcome o = parse_request(wire, step, kSmall);
    EXPECT_EQ(o.error, ParseError::kHeadersTooLarge) << "step " << step << " " << o;
  }
}

TEST(ParserLimits, EndlessFieldValueIsRefusedEarly) {
  std::string wire = "GET / HTTP/1.1\r\nHost: a\r\nX: " + std::string(100000, 'v');
  for (size_t step : kSteps) {
    Outcome o = parse_request(wire, step, kSmall);
    EXPECT_EQ(o.error, ParseError::kHeadersTooLarge) << "step " << step << " " << o;
    if (step != kAllAtOnce) {
      EXPECT_LE(o.seen, 64 + 256 + kSlack + step) << "step " << step;
    }
  }
}

TEST(ParserLimits, EndlessFieldNameIsRefusedEarly) {
  std::string wire = "GET / HTTP/1.1\r\nHost: a\r\nX" + std::string(100000, 'n');
  for (size_t step : kSteps) {
    Outcome o = parse_request(wire, step, kSmall);
    EXPECT_EQ(o.error, ParseError::kHeadersTooLarge) << "step " << step << " " << o;
    if (step != kAllAtOnce) {
      EXPECT_LE(o.seen, 64 + 256 + kSlack + step) << "step " << step;
    }
  }
}

TEST(ParserLimits, EndlessWhitespaceIsRefusedEarly) {
  // Leading OWS of a value is not part of it: the backstop on the whole head catches it.
  std::string wire = "GET / HTTP/1.1\r\nHost: a\r\nX:" + std::string(100000, ' ');
  for (size_t step : kSteps) {
    Outcome o = parse_request(wire, step, kSmall);
    EXPECT_EQ(o.error, ParseError::kHeadersTooLarge) << "step " << step << " " << o;
    if (step != kAllAtOnce) {
      EXPECT_LE(o.seen, 64 + 2 * 256 + kSlack + step) << "step " << step;
    }
  }
}

TEST(ParserLimits, DefaultHeaderLimitIs64KiB) {
  // Host (9) + X (1 + v + 4) = 64 KiB exactly, then one byte more.
  EXPECT_EQ(parse_request(with_field_value(64 * 1024 - 14)).event, Parser::Event::kMessageComplete);
  EXPECT_EQ(parse_request(with_field_value(64 * 1024 - 13)).error, ParseError::kHeadersTooLarge);
  EXPECT_EQ(parse_request(with_field_value(64 * 1024 - 13), 1).error, ParseError::kHeadersTooLarge);
}

std::string post_cl(size_t n) {
  return "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: " + std::to_string(n) + "\r\n\r\n" +
         std::string(n, 'b');
}

std::string post_chunked(size_t n, size_t chunk) {
  std::string wire = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
  char size[32];
  while (n > 0) {
    size_t c = std::min(n, chunk);
    std::snprintf(size, sizeof size, "%zx\r\n", c);
    wire += size;
    wire += std::string(c, 'b');
    wire += "\r\n";
    n -= c;
  }
  return wire + "0\r\n\r\n";
}

TEST(ParserLimits, ContentLengthAtTheLimitIsAccepted) {
  for (size_t step : kSteps) {
    Outcome o = parse_request(post_cl(100), step, kSmall);
    EXPECT_EQ(o.event, Parser::Event::kMessageComplete) << "step " << step << " " << o;
    EXPECT_EQ(o.body.size(), 100u);
  }
}

TEST(ParserLimits, ContentLengthOverTheLimitIs413AtTheHead) {
  for (size_t step : kSteps) {
    Outcome o = parse_request(post_cl(101), step, kSmall);
    EXPECT_EQ(o.event, Parser::Event::kError) << "step " << step << " " << o;
    EXPECT_EQ(o.error, ParseError::kBodyTooLarge);
    EXPECT_FALSE(o.head_complete);  // refused before anything is forwarded
    EXPECT_EQ(o.body, "");
  }
}

TEST(ParserLimits, ChunkedBodyAtTheLimitIsAccepted) {
  for (size_t chunk : {size_t{1}, size_t{7}, size_t{100}}) {
    for (size_t step : kSteps) {
      Outcome o = parse_request(post_chunked(100, chunk), step, kSmall);
      EXPECT_EQ(o.event, Parser::Event::kMessageComplete) << "step " << step << " " << o;
      EXPECT_EQ(o.body.size(), 100u);
    }
  }
}

TEST(ParserLimits, ChunkedBodyOverTheLimitIs413DuringTheBody) {
  for (size_t chunk : {size_t{1}, size_t{7}, size_t{101}, size_t{5000}}) {
    for (size_t step : kSteps) {
      Outcome o = parse_request(post_chunked(chunk == 5000 ? 5000 : 101, chunk), step, kSmall);
      EXPECT_EQ(o.event, Parser::Event::kError) << "chunk " << chunk << " step " << step << o;
      EXPECT_EQ(o.error, ParseError::kBodyTooLarge);
      EXPECT_TRUE(o.head_complete);  // the size is known only as the chunks arrive
      EXPECT_LE(o.body.size(), 100u) << "no piece past the limit is handed out";
    }
  }
}

TEST(ParserLimits, ZeroBodyLimitIsUnlimited) {
  ParserLimits unlimited{64, 256, 0};
  EXPECT_EQ(parse_request(post_cl(10000), kAllAtOnce, unlimited).event,
            Parser::Event::kMessageComplete);
  EXPECT_EQ(parse_request(post_chunked(10000, 999), kAllAtOnce, unlimited).event,
            Parser::Event::kMessageComplete);
  Outcome huge = parse_request(
      "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1099511627776\r\n\r\n", kAllAtOnce, unlimited);
  EXPECT_TRUE(huge.head_complete) << huge;
  EXPECT_EQ(huge.error, ParseError::kNone);
}

TEST(ParserLimits, ResponsesIgnoreTheBodyLimit) {
  Parser p(Parser::Kind::kResponse);
  p.set_limits(kSmall);
  std::string wire = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + std::string(1000, 'r');
  Outcome o = drive(p, wire);
  EXPECT_EQ(o.event, Parser::Event::kMessageComplete) << o;
  EXPECT_EQ(o.body.size(), 1000u);
}

}  // namespace
}  // namespace tern::http::testing
