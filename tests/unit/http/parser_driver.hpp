// Test driver for http::Parser: feeds a wire image the way a connection does (a buffer that
// grows by `step` bytes per read, offsets relative to one base), and records everything
// the parser reported as plain values, so that tests compare outcomes, not callbacks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lb/http/parser.hpp"

namespace tern::http::testing {

inline constexpr size_t kAllAtOnce = std::numeric_limits<size_t>::max();

struct Outcome {
  Parser::Event event = Parser::Event::kNeedMore;  // kMessageComplete, kError or kNeedMore
  ParseError error = ParseError::kNone;
  bool head_complete = false;
  size_t head_bytes = 0;  // MessageHead::head_bytes
  size_t consumed = 0;    // bytes of the wire that belong to the message (from `from`)
  size_t seen = 0;        // bytes the parser had been offered when it stopped
  // The head, copied out as text.
  std::string method;
  std::string target;
  std::string reason;
  int status = 0;
  int major = 0;
  int minor = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  bool chunked = false;
  bool has_content_length = false;
  uint64_t content_length = 0;
  bool keep_alive = false;
  bool upgrade = false;
  bool until_close = false;  // body_until_close() right after the head
  // The decoded body, and how many pieces it arrived in.
  std::string body;
  size_t pieces = 0;
  uint64_t body_bytes = 0;

  bool operator==(const Outcome&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Outcome& o);
std::ostream& operator<<(std::ostream& os, ParseError e);
std::ostream& operator<<(std::ostream& os, Parser::Event e);

struct DriveOptions {
  size_t step = kAllAtOnce;    // bytes that arrive per read
  size_t first_read = 0;       // when non-zero, the size of the first read only
  size_t from = 0;             // where the message starts in the wire
  bool finish_at_eof = false;  // call finish() when the wire runs out (peer closed)
  bool request_was_head = false;
};

// Feeds `wire` from `options.from` into `parser` (after start()) until the message
// completes, an error occurs or the wire runs out.
Outcome drive(Parser& parser, std::string_view wire, const DriveOptions& options = {});

// Convenience: a fresh request/response parser with `limits`.
Outcome parse_request(std::string_view wire, size_t step = kAllAtOnce,
                      const ParserLimits& limits = {});
Outcome parse_response(std::string_view wire, size_t step = kAllAtOnce,
                       bool request_was_head = false, bool finish_at_eof = false);

// Names parameterized cases after their `name` member.
struct CaseName {
  template <typename Info>
  std::string operator()(const Info& i) const {
    return std::string(i.param.name);
  }
};

}  // namespace tern::http::testing
