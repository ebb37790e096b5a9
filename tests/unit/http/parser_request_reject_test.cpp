// Every malformed or ambiguous request tern must refuse, with the exact ParseError (which
// decides 400/414/431/501/505), whatever the sizes of the reads it arrives in: a
// request-smuggling defence that only works for one read size is no defence.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "lb/http/parser.hpp"
#include "tests/unit/http/parser_driver.hpp"

namespace tern::http::testing {
namespace {

using namespace std::string_literals;  // NOLINT: "\0"s for NUL bytes in the wire

struct RejectCase {
  const char* name;
  std::string wire;
  ParseError error;
  bool head_complete = false;  // the error comes only after the head (body framing)
};

void PrintTo(const RejectCase& c, std::ostream* os) {
  *os << c.name;
}

class RequestRejectTest : public ::testing::TestWithParam<RejectCase> {};

TEST_P(RequestRejectTest, InOnePiece) {
  const RejectCase& c = GetParam();
  Outcome o = parse_request(c.wire);
  EXPECT_EQ(o.event, Parser::Event::kError) << o;
  EXPECT_EQ(o.error, c.error) << o;
  EXPECT_EQ(o.head_complete, c.head_complete) << o;
}

TEST_P(RequestRejectTest, ByteByByte) {
  const RejectCase& c = GetParam();
  Outcome o = parse_request(c.wire, 1);
  EXPECT_EQ(o.event, Parser::Event::kError) << o;
  EXPECT_EQ(o.error, c.error) << o;
  EXPECT_EQ(o.head_complete, c.head_complete) << o;
}

TEST_P(RequestRejectTest, InSmallPieces) {
  const RejectCase& c = GetParam();
  for (size_t step : {2u, 3u, 5u, 7u, 16u}) {
    Outcome o = parse_request(c.wire, step);
    EXPECT_EQ(o.event, Parser::Event::kError) << "step " << step << " " << o;
    EXPECT_EQ(o.error, c.error) << "step " << step << " " << o;
  }
}

TEST_P(RequestRejectTest, ErrorIsSticky) {
  // After an error every further feed fails too: nothing of the message is ever relayed.
  const RejectCase& c = GetParam();
  Parser p(Parser::Kind::kRequest);
  Outcome o = drive(p, c.wire);
  ASSERT_EQ(o.event, Parser::Event::kError);
  auto r = p.feed(c.wire.data(), 0, c.wire.size());
  EXPECT_EQ(r.event, Parser::Event::kError);
  EXPECT_EQ(r.consumed, 0u);
  EXPECT_EQ(p.error(), c.error);
  EXPECT_STRNE(p.error_reason(), "");
}

std::string name_of(const ::testing::TestParamInfo<RejectCase>& info) {
  return info.param.name;
}

// A request head with `fields` (each "Name: value\r\n") after "POST / HTTP/1.1".
std::string post(std::string_view fields, std::string_view body = "") {
  return "POST / HTTP/1.1\r\nHost: a\r\n"s.append(fields).append("\r\n").append(body);
}
std::string get(std::string_view fields) {
  return "GET / HTTP/1.1\r\nHost: a\r\n"s.append(fields).append("\r\n");
}
std::string chunked(std::string_view body) {
  return post("Transfer-Encoding: chunked\r\n", body);
}

constexpr auto k400 = ParseError::kBadRequest;
constexpr auto k501 = ParseError::kBadTransferCoding;
constexpr auto k505 = ParseError::kBadVersion;

// RFC 9112 §6.1, §6.3: framing that two parsers could read differently.
INSTANTIATE_TEST_SUITE_P(
    Framing, RequestRejectTest,
    ::testing::Values(
        RejectCase{"ContentLengthThenTransferEncoding",
                   post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), k400},
        RejectCase{"TransferEncodingThenContentLength",
                   post("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", "0\r\n\r\n"), k400},
        RejectCase{"ContentLengthZeroWithTransferEncoding",
                   post("Content-Length: 0\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), k400},
        RejectCase{"DuplicateContentLengthDiffering",
                   post("Content-Length: 5\r\nContent-Length: 6\r\n", "hello!"), k400},
        // RFC 9112 §6.3 lets a recipient accept identical duplicates; tern, as llhttp in
        // strict mode, refuses them: one framing, no ambiguity to reason about.
        RejectCase{"DuplicateContentLengthEqual",
                   post("Content-Length: 5\r\nContent-Length: 5\r\n", "hello"), k400},
        RejectCase{"ContentLengthListEqual", post("Content-Length: 5, 5\r\n", "hello"), k400},
        RejectCase{"ContentLengthListDiffering", post("Content-Length: 5, 6\r\n", "hello"), k400},
        RejectCase{"ContentLengthAlpha", post("Content-Length: abc\r\n"), k400},
        RejectCase{"ContentLengthTrailingAlpha", post("Content-Length: 5x\r\n", "hello"), k400},
        RejectCase{"ContentLengthPlus", post("Content-Length: +5\r\n", "hello"), k400},
        RejectCase{"ContentLengthMinus", post("Content-Length: -5\r\n", "hello"), k400},
        RejectCase{"ContentLengthHex", post("Content-Length: 0x5\r\n", "hello"), k400},
        RejectCase{"ContentLengthDecimal", post("Content-Length: 5.0\r\n", "hello"), k400},
        RejectCase{"ContentLengthInnerSpace", post("Content-Length: 5 5\r\n", "hello"), k400},
        RejectCase{"ContentLengthOverflow", post("Content-Length: 99999999999999999999999\r\n"),
                   k400},
        RejectCase{"ContentLength2Pow64", post("Content-Length: 18446744073709551616\r\n"), k400}),
    name_of);

// RFC 9112 §5.2 (obs-fold), §2.2 (line ends), §5.1 (field syntax).
INSTANTIATE_TEST_SUITE_P(
    Syntax, RequestRejectTest,
    ::testing::Values(
        RejectCase{"ObsFoldSpace", get("X-A: one\r\n two\r\n"), k400},
        RejectCase{"ObsFoldTab", get("X-A: one\r\n\ttwo\r\n"), k400},
        RejectCase{"ObsFoldOnLastField", get("X-A: one\r\nX-B: two\r\n  three\r\n"), k400},
        RejectCase{"ObsFoldOfHost", "GET / HTTP/1.1\r\nHost: a\r\n .b\r\n\r\n", k400},
        RejectCase{"LeadingWhitespaceOnFirstFieldLine", "GET / HTTP/1.1\r\n Host: a\r\n\r\n", k400},
        RejectCase{"LeadingTabOnFirstFieldLine", "GET / HTTP/1.1\r\n\tHost: a\r\n\r\n", k400},
        RejectCase{"BareLfAfterRequestLine", "GET / HTTP/1.1\nHost: a\r\n\r\n", k400},
        RejectCase{"BareLfAfterField", "GET / HTTP/1.1\r\nHost: a\nX: b\r\n\r\n", k400},
        RejectCase{"BareLfEndOfHead", "GET / HTTP/1.1\r\nHost: a\r\n\n", k400},
        RejectCase{"BareLfEverywhere", "GET / HTTP/1.1\nHost: a\n\n", k400},
        RejectCase{"BareCrAfterRequestLine", "GET / HTTP/1.1\rHost: a\r\n\r\n", k400},
        RejectCase{"BareCrInRequestTarget", "GET /a\rb HTTP/1.1\r\nHost: a\r\n\r\n", k400},
        RejectCase{"BareCrAfterField", "GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n", k400},
        RejectCase{"BareCrInValue", get("X-A: a\rb\r\n"), k400},
        RejectCase{"BareCrEndOfHead", "GET / HTTP/1.1\r\nHost: a\r\n\rX", k400},
        RejectCase{"CrCrLf", "GET / HTTP/1.1\r\r\nHost: a\r\n\r\n", k400},
        RejectCase{"NulInName", get("X-\0A: b\r\n"s), k400},
        RejectCase{"NulInValue", get("X-A: b\0c\r\n"s), k400},
        RejectCase{"NulAtValueStart", get("X-A: \0c\r\n"s), k400},
        RejectCase{"NulInTarget", "GET /a\0b HTTP/1.1\r\nHost: a\r\n\r\n"s, k400},
        RejectCase{"ControlInName",
                   get("X-\x01"
                       "A: b\r\n"),
                   k400},
        RejectCase{"ControlInValue",
                   get("X-A: b\x01"
                       "c\r\n"),
                   k400},
        RejectCase{"UnitSeparatorInValue",
                   get("X-A: b\x1f"
                       "c\r\n"),
                   k400},
        RejectCase{"EscapeInValue",
                   get("X-A: b\x1b"
                       "c\r\n"),
                   k400},
        RejectCase{"DelInName",
                   get("X-\x7f"
                       "A: b\r\n"),
                   k400},
        RejectCase{"DelInValue",
                   get("X-A: b\x7f"
                       "c\r\n"),
                   k400},
        RejectCase{"SpaceInName", get("X A: b\r\n"), k400},
        RejectCase{"SeparatorInName", get("X(A): b\r\n"), k400},
        RejectCase{"SpaceBeforeColon", get("X-A : b\r\n"), k400},
        RejectCase{"TabBeforeColon", get("X-A\t: b\r\n"), k400},
        RejectCase{"SpaceBeforeColonOfHost", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", k400},
        RejectCase{"EmptyFieldName", get(": b\r\n"), k400},
        RejectCase{"EmptyFieldNameFirst", "GET / HTTP/1.1\r\n: b\r\nHost: a\r\n\r\n", k400},
        RejectCase{"FieldWithoutColon", get("X-A b\r\n"), k400},
        RejectCase{"SpaceInTarget", "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", k400},
        RejectCase{"TrailingSpaceAfterVersion", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", k400},
        RejectCase{"EmptyTarget", "GET  HTTP/1.1\r\nHost: a\r\n\r\n", k400},
        RejectCase{"BareLfBeforeRequestLine", "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", k400},
        RejectCase{"SpaceBeforeRequestLine", " GET / HTTP/1.1\r\nHost: a\r\n\r\n", k400}),
    name_of);

// RFC 9110 §9 (methods are case-sensitive tokens llhttp knows), §2.5 / RFC 9112 §2.3
// (versions): a well-formed version tern does not speak is 505, garbage is 400.
INSTANTIATE_TEST_SUITE_P(
    RequestLine, RequestRejectTest,
    ::testing::Values(
        RejectCase{"LowercaseMethod", "get / HTTP/1.1\r\nHost: a\r\n\r\n", k400},
        RejectCase{"UnknownMethod", "FOO / HTTP/1.1\r\nHost: a\r\n\r\n", k400},
        RejectCase{"MethodWithSymbol", "G@T / HTTP/1.1\r\nHost: a\r\n\r\n", k400},
        RejectCase{"MethodPrefixOfLonger", "GETX / HTTP/1.1\r\nHost: a\r\n\r\n", k400},
        RejectCase{"NoMethod", "/ HTTP/1.1\r\nHost: a\r\n\r\n", k400},
        RejectCase{"Binary", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", k400},
        RejectCase{"Http20", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", k505},
        RejectCase{"Http12", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", k505},
        RejectCase{"Http30", "GET / HTTP/3.0\r\nHost: a\r\n\r\n", k505},
        RejectCase{"Http19", "GET / HTTP/1.9\r\nHost: a\r\n\r\n", k505},
        RejectCase{"Http09", "GET / HTTP/0.9\r\nHost: a\r\n\r\n", k505},
        RejectCase{"Http99", "GET / HTTP/9.9\r\nHost: a\r\n\r\n", k505},
        // "GET /" alone is an HTTP/0.9 simple-request: a version, just not one tern speaks.
        RejectCase{"Http09SimpleRequest", "GET /\r\nHost: a\r\n\r\n", k505},
        RejectCase{"H2Preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", k505},
        RejectCase{"H2PrefaceWrongTail", "PRI * HTTP/2.0\r\n\r\nXY\r\n\r\n", k400},
        RejectCase{"Http20GarbageAfter", "GET / HTTP/2.0x\r\nHost: a\r\n\r\n", k400},
        RejectCase{"VersionLetter", "GET / HTTP/1.x\r\nHost: a\r\n\r\n", k400},
        RejectCase{"VersionNoDot", "GET / HTTP/11\r\nHost: a\r\n\r\n", k400},
        RejectCase{"VersionTwoDigits", "GET / HTTP/10.0\r\nHost: a\r\n\r\n", k400},
        RejectCase{"VersionMinorTwoDigits", "GET / HTTP/1.10\r\nHost: a\r\n\r\n", k400},
        RejectCase{"VersionLowercase", "GET / http/1.1\r\nHost: a\r\n\r\n", k400},
        RejectCase{"VersionWrongProtocol", "GET / HTTX/1.1\r\nHost: a\r\n\r\n", k400},
        RejectCase{"VersionMissingMinor", "GET / HTTP/1.\r\nHost: a\r\n\r\n", k400},
        RejectCase{"VersionOnlyMajor", "GET / HTTP/1\r\nHost: a\r\n\r\n", k400},
        RejectCase{"VersionSuffix", "GET / HTTP/1.1x\r\nHost: a\r\n\r\n", k400}),
    name_of);

// RFC 9112 §6.1: chunked is the only coding tern handles (501 for any other), and
// Transfer-Encoding in an HTTP/1.0 request is faulty framing (400). RFC 9112 §3.2: Host.
INSTANTIATE_TEST_SUITE_P(
    TransferCodingAndHost, RequestRejectTest,
    ::testing::Values(
        RejectCase{"TransferEncodingGzip", post("Transfer-Encoding: gzip\r\n"), k501},
        RejectCase{"TransferEncodingIdentity", post("Transfer-Encoding: identity\r\n"), k501},
        RejectCase{"TransferEncodingGzipChunked",
                   post("Transfer-Encoding: gzip, chunked\r\n", "0\r\n\r\n"), k501},
        RejectCase{"TransferEncodingChunkedGzip",
                   post("Transfer-Encoding: chunked, gzip\r\n", "0\r\n\r\n"), k501},
        RejectCase{"TransferEncodingChunkedChunked",
                   post("Transfer-Encoding: chunked, chunked\r\n", "0\r\n\r\n"), k501},
        RejectCase{
            "TransferEncodingTwoLines",
            post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"),
            k501},
        RejectCase{"TransferEncodingTwoLinesGzipFirst",
                   post("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"),
                   k501},
        RejectCase{"TransferEncodingChunkedInHttp10",
                   "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", k400},
        RejectCase{"MissingHost", "GET / HTTP/1.1\r\nX-A: b\r\n\r\n", k400},
        RejectCase{"MissingHostNoFields", "GET / HTTP/1.1\r\n\r\n", k400},
        RejectCase{"TwoHosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", k400},
        RejectCase{"TwoHostsSameValue", "GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n", k400},
        RejectCase{"TwoHostsHttp10", "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", k400}),
    name_of);

// RFC 9112 §7.1: chunk-size is 1*HEXDIG, every chunk line and chunk ends with CRLF.
// These fail in the body, after the head went through.
INSTANTIATE_TEST_SUITE_P(
    Chunks, RequestRejectTest,
    ::testing::Values(
        RejectCase{"ChunkSizeNotHex", chunked("g\r\nhello\r\n0\r\n\r\n"), k400, true},
        RejectCase{"ChunkSizeMinus", chunked("-5\r\nhello\r\n0\r\n\r\n"), k400, true},
        RejectCase{"ChunkSizePlus", chunked("+5\r\nhello\r\n0\r\n\r\n"), k400, true},
        RejectCase{"ChunkSize0x", chunked("0x5\r\nhello\r\n0\r\n\r\n"), k400, true},
        RejectCase{"ChunkSizeLeadingSpace", chunked(" 5\r\nhello\r\n0\r\n\r\n"), k400, true},
        RejectCase{"ChunkSizeEmpty", chunked("\r\nhello\r\n0\r\n\r\n"), k400, true},
        RejectCase{"ChunkSizeOverflow", chunked("10000000000000000\r\nhello\r\n"), k400, true},
        RejectCase{"ChunkSizeOverflowLong", chunked("fffffffffffffffffff\r\nhello\r\n"), k400,
                   true},
        RejectCase{"ChunkSizeBareLf", chunked("5\nhello\r\n0\r\n\r\n"), k400, true},
        RejectCase{"ChunkSizeBareCr", chunked("5\rhello\r\n0\r\n\r\n"), k400, true},
        RejectCase{"ChunkDataBareLf", chunked("5\r\nhello\n0\r\n\r\n"), k400, true},
        RejectCase{"ChunkDataBareCr", chunked("5\r\nhello\r0\r\n\r\n"), k400, true},
        RejectCase{"ChunkDataNoCrlf", chunked("5\r\nhello0\r\n\r\n"), k400, true},
        RejectCase{"ChunkDataLongerThanSize", chunked("5\r\nhello!\r\n0\r\n\r\n"), k400, true},
        RejectCase{"LastChunkBareLf", chunked("5\r\nhello\r\n0\n\r\n"), k400, true},
        RejectCase{"EndOfBodyBareLf", chunked("5\r\nhello\r\n0\r\n\n"), k400, true},
        RejectCase{"TrailerBareLf", chunked("0\r\nX-T: v\n\r\n"), k400, true},
        RejectCase{"TrailerObsFold", chunked("0\r\nX-T: v\r\n w\r\n\r\n"), k400, true},
        RejectCase{"TrailerNulInValue", chunked("0\r\nX-T: v\0w\r\n\r\n"s), k400, true},
        RejectCase{"TrailerSpaceBeforeColon", chunked("0\r\nX-T : v\r\n\r\n"), k400, true},
        RejectCase{"ChunkExtensionBareLf", chunked("5;a=b\nhello\r\n0\r\n\r\n"), k400, true},
        RejectCase{"ChunkExtensionNul", chunked("5;a=\0\r\nhello\r\n0\r\n\r\n"s), k400, true}),
    name_of);

}  // namespace
}  // namespace tern::http::testing
