#include "tests/unit/http/parser_driver.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace tern::http::testing {

std::ostream& operator<<(std::ostream& os, ParseError e) {
  switch (e) {
    case ParseError::kNone:
      return os << "kNone";
    case ParseError::kBadRequest:
      return os << "kBadRequest";
    case ParseError::kUriTooLong:
      return os << "kUriTooLong";
    case ParseError::kHeadersTooLarge:
      return os << "kHeadersTooLarge";
    case ParseError::kBadVersion:
      return os << "kBadVersion";
    case ParseError::kBadTransferCoding:
      return os << "kBadTransferCoding";
    case ParseError::kBodyTooLarge:
      return os << "kBodyTooLarge";
    case ParseError::kBadResponse:
      return os << "kBadResponse";
  }
  return os << "ParseError(" << static_cast<int>(e) << ")";
}

std::ostream& operator<<(std::ostream& os, Parser::Event e) {
  switch (e) {
    case Parser::Event::kNeedMore:
      return os << "kNeedMore";
    case Parser::Event::kHeadComplete:
      return os << "kHeadComplete";
    case Parser::Event::kMessageComplete:
      return os << "kMessageComplete";
    case Parser::Event::kError:
      return os << "kError";
  }
  return os << "Event(" << static_cast<int>(e) << ")";
}

std::ostream& operator<<(std::ostream& os, const Outcome& o) {
  os << "{event=" << o.event << " error=" << o.error << " head_complete=" << o.head_complete
     << " head_bytes=" << o.head_bytes << " consumed=" << o.consumed << " seen=" << o.seen
     << " method=" << o.method << " target=" << o.target << " status=" << o.status
     << " reason=" << o.reason << " version=" << o.major << "." << o.minor << " headers=[";
  for (const auto& [n, v] : o.headers) os << n << ": " << v << "; ";
  os << "] chunked=" << o.chunked << " cl=" << o.has_content_length << "/" << o.content_length
     << " keep_alive=" << o.keep_alive << " upgrade=" << o.upgrade
     << " until_close=" << o.until_close << " body=" << o.body.size() << "B}";
  return os;
}

namespace {

void copy_head(const Parser& parser, const char* base, Outcome& out) {
  const MessageHead& h = parser.head();
  out.head_complete = true;
  out.head_bytes = h.head_bytes;
  out.method = std::string(h.method_text.view(base));
  out.target = std::string(h.target.view(base));
  out.reason = std::string(h.reason.view(base));
  out.status = h.status;
  out.major = h.version_major;
  out.minor = h.version_minor;
  for (const auto& f : h.headers) {
    out.headers.emplace_back(std::string(f.name.view(base)), std::string(f.value.view(base)));
  }
  out.chunked = h.chunked;
  out.has_content_length = h.has_content_length;
  out.content_length = h.content_length;
  out.keep_alive = h.keep_alive;
  out.upgrade = h.upgrade;
  out.until_close = parser.body_until_close();
}

void take_pieces(const Parser& parser, const char* base, Outcome& out) {
  for (size_t i = 0; i < parser.body_piece_count(); ++i) {
    out.body.append(parser.body_pieces()[i].view(base));
    ++out.pieces;
  }
}

}  // namespace

Outcome drive(Parser& parser, std::string_view wire, const DriveOptions& options) {
  Outcome out;
  parser.start(options.request_was_head);
  const char* base = wire.data();
  size_t pos = options.from;    // first byte not yet consumed
  size_t avail = options.from;  // bytes "read" so far
  int stalls = 0;               // feeds in a row that made no progress
  bool after_head = false;      // the exchange feeds once more right after the head
  for (;;) {
    if (pos == avail && !after_head) {
      if (avail == wire.size()) {
        if (options.finish_at_eof) {
          auto r = parser.finish();
          out.event = r.event;
          out.error = parser.error();
          take_pieces(parser, base, out);
        }
        break;
      }
      size_t want =
          avail == options.from && options.first_read != 0 ? options.first_read : options.step;
      size_t step = std::min(want, wire.size() - avail);
      avail += step;
    }
    after_head = false;
    auto r = parser.feed(base, pos, avail);
    if (r.event == Parser::Event::kError) {
      out.event = r.event;
      out.error = parser.error();
      break;
    }
    take_pieces(parser, base, out);
    pos += r.consumed;
    if (r.consumed == 0 && r.event == Parser::Event::kNeedMore && pos < avail && ++stalls > 2) {
      ADD_FAILURE() << "parser makes no progress at offset " << pos;
      break;
    }
    if (r.consumed != 0) stalls = 0;
    if (r.event == Parser::Event::kHeadComplete) {
      copy_head(parser, base, out);
      after_head = true;
    }
    if (r.event == Parser::Event::kMessageComplete) {
      out.event = r.event;
      break;
    }
  }
  out.consumed = pos - options.from;
  out.seen = avail - options.from;
  out.body_bytes = parser.body_bytes();
  if (out.error == ParseError::kNone) out.error = parser.error();
  return out;
}

Outcome parse_request(std::string_view wire, size_t step, const ParserLimits& limits) {
  Parser parser(Parser::Kind::kRequest);
  parser.set_limits(limits);
  DriveOptions options;
  options.step = step;
  return drive(parser, wire, options);
}

Outcome parse_response(std::string_view wire, size_t step, bool request_was_head,
                       bool finish_at_eof) {
  Parser parser(Parser::Kind::kResponse);
  DriveOptions options;
  options.step = step;
  options.request_was_head = request_was_head;
  options.finish_at_eof = finish_at_eof;
  return drive(parser, wire, options);
}

}  // namespace tern::http::testing
