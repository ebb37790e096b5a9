// Property: how the bytes are split into reads never changes what the parser reports
// (head, framing, body, error, bytes consumed). Checked for every split size on a corpus
// of valid and invalid requests and responses, and for every single split point.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lb/http/parser.hpp"
#include "tests/unit/http/parser_driver.hpp"

namespace tern::http::testing {
namespace {

using namespace std::string_literals;  // NOLINT

const std::vector<std::string>& request_corpus() {
  static const std::vector<std::string> corpus = {
      // valid
      "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
      "GET /a?b=c HTTP/1.1\r\nHost: example.com\r\nUser-Agent: x/1\r\nAccept: */*\r\n\r\n",
      "GET / HTTP/1.0\r\n\r\n",
      "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
      "HEAD /h HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
      "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
      "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world",
      "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n",
      "PUT /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n1;x=y\r\n \r\n5\r\nworld\r\n0\r\n\r\n",
      "PUT /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
      "a\r\n0123456789\r\n0\r\nX-Trailer: v\r\nX-Other: w\r\n\r\n",
      "GET / HTTP/1.1\r\nHost:   padded   \r\nX-E:\r\nX-T:\ttab\t\r\n\r\n",
      "GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcGET / HTTP/1.1\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nX-Obs: caf\xc3\xa9\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3\r\n\n \n\r\n2\r\n\r\n\r\n0\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\n\n \r\t",
      // invalid: framing
      "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
      "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\na",
      "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1a\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: "
      "chunked\r\n\r\n0\r\n\r\n",
      "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nx\r\n",
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
      "fffffffffffffffffffff\r\n",
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\n",
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: a\r\n b\r\n\r\n",
      // invalid: syntax
      "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n",
      "GET / HTTP/1.1\r\n Host: a\r\n\r\n",
      "GET / HTTP/1.1\nHost: a\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\n\r\n",
      "GET / HTTP/1.1\rHost: a\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n"s,
      "GET / HTTP/1.1\r\nHost: a\r\nX\x7f: a\r\n\r\n",
      "GET / HTTP/1.1\r\nHost : a\r\n\r\n",
      "GET / HTTP/1.1\r\n: a\r\nHost: a\r\n\r\n",
      "get / HTTP/1.1\r\nHost: a\r\n\r\n",
      "BREW / HTTP/1.1\r\nHost: a\r\n\r\n",
      "GET / HTTP/2.0\r\nHost: a\r\n\r\n",
      "GET / HTTP/1.2\r\nHost: a\r\n\r\n",
      "GET / HTTP/3.0\r\nHost: a\r\n\r\n",
      "GET / HTTP/1.x\r\nHost: a\r\n\r\n",
      "GET / HTTP/11\r\nHost: a\r\n\r\n",
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
      "GET / HTTP/1.1\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
  };
  return corpus;
}

const std::vector<std::string>& response_corpus() {
  static const std::vector<std::string> corpus = {
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n",
      "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nHTTP/1.1 200 OK\r\n",
      "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n",
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200 OK\r\n\r\nuntil close",
      "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok",
      "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nxyz",
      "HTTP/1.1 2x0 OK\r\n\r\n",
      "HTTP/1.1 200 OK\r\nX: a\r\n\tb\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n\n \r\n0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\n",
      "HTTP/1.1 20 OK\r\n\r\n",
      "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n",
  };
  return corpus;
}

Outcome without_split_details(Outcome o) {
  o.pieces = 0;  // how many pieces the body came in depends on the reads
  o.seen = 0;    // how far the parser had been offered bytes, too
  if (o.event == Parser::Event::kError) {
    // The stream is aborted: how far it got before the bad byte depends on the reads (a
    // streamed body hands out its data pieces before a later chunk line turns out bad).
    o.consumed = 0;
    o.body.clear();
    o.body_bytes = 0;
  }
  return o;
}

class RequestSplitTest : public ::testing::TestWithParam<size_t> {};

TEST_P(RequestSplitTest, SameOutcomeForEveryReadSize) {
  const std::string& wire = request_corpus()[GetParam()];
  Outcome whole = without_split_details(parse_request(wire));
  EXPECT_NE(whole.event, Parser::Event::kNeedMore) << "corpus entries are complete: " << whole;
  for (size_t step = 1; step <= wire.size(); ++step) {
    Outcome split = without_split_details(parse_request(wire, step));
    ASSERT_EQ(split, whole) << "step " << step << " of [" << wire << "]";
  }
}

TEST_P(RequestSplitTest, SameOutcomeForEverySplitPoint) {
  // Two reads, split at every offset: catches state kept across exactly one boundary.
  const std::string& wire = request_corpus()[GetParam()];
  Outcome whole = without_split_details(parse_request(wire));
  for (size_t cut = 1; cut < wire.size(); ++cut) {
    Parser p(Parser::Kind::kRequest);
    DriveOptions options;
    options.first_read = cut;  // read 1 = [0, cut), read 2 = [cut, size)
    Outcome split = without_split_details(drive(p, wire, options));
    ASSERT_EQ(split, whole) << "cut at " << cut << " of [" << wire << "]";
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, RequestSplitTest,
                         ::testing::Range(size_t{0}, request_corpus().size()));

class ResponseSplitTest : public ::testing::TestWithParam<size_t> {};

TEST_P(ResponseSplitTest, SameOutcomeForEveryReadSize) {
  const std::string& wire = response_corpus()[GetParam()];
  for (bool finish : {false, true}) {
    Outcome whole = without_split_details(parse_response(wire, kAllAtOnce, false, finish));
    for (size_t step = 1; step <= wire.size(); ++step) {
      Outcome split = without_split_details(parse_response(wire, step, false, finish));
      ASSERT_EQ(split, whole) << "step " << step << " finish " << finish << " of [" << wire << "]";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, ResponseSplitTest,
                         ::testing::Range(size_t{0}, response_corpus().size()));

}  // namespace
}  // namespace tern::http::testing
