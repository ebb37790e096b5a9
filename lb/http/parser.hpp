// Incremental HTTP/1.x parser: llhttp in strict mode (no lenient flags) plus the checks
// llhttp leaves to its caller (obs-fold, empty field names, request limits), for requests
// from clients and responses from targets.
//
// Usage: start() a message, then feed() the connection buffer repeatedly; the parser
// stops after the head (kHeadComplete: the caller routes, connects, forwards) and after
// the message (kMessageComplete: later bytes belong to the next pipelined message).
// Offsets in head() are relative to the `base` passed to feed(), which must be the same
// buffer start for the whole head (the buffer may grow, offsets stay valid).
//
// Thread affinity: the worker owning the connection. Ownership: owned by the connection;
// reused across messages.
#pragma once

#include <llhttp.h>

#include <cstddef>
#include <cstdint>
#include <memory>

#include "lb/http/message_head.hpp"

namespace tern::http {

// Why a message was rejected; maps to the status the client gets (see proxy/).
enum class ParseError : uint8_t {
  kNone,
  kBadRequest,         // 400: malformed or ambiguous framing, bad syntax (RFC 9112)
  kUriTooLong,         // 414: request line over max_request_line
  kHeadersTooLarge,    // 431: head over max_header_bytes
  kBadVersion,         // 505: well-formed HTTP-version other than 1.0/1.1
  kBadTransferCoding,  // 501: a transfer coding other than chunked
  kBodyTooLarge,       // 413: decoded body over max_body_bytes
  kBadResponse,        // target response malformed (502)
};

struct ParserLimits {
  uint64_t max_request_line = 16 * 1024;
  uint64_t max_header_bytes = 64 * 1024;
  uint64_t max_body_bytes = 0;  // 0 = unlimited
};

class Parser {
 public:
  enum class Kind { kRequest, kResponse };
  enum class Event { kNeedMore, kHeadComplete, kMessageComplete, kError };

  struct Result {
    Event event = Event::kNeedMore;
    size_t consumed = 0;  // bytes of [from, to) that belong to this message
  };

  explicit Parser(Kind kind);
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;

  void set_limits(const ParserLimits& limits) { limits_ = limits; }

  // Begins a new message. For responses, `request_was_head` makes the body empty
  // whatever the headers say (RFC 9110 §9.3.2).
  void start(bool request_was_head = false);

  // Parses buffer bytes [from, to) of `base`. Stops at the end of the head and at the end
  // of the message; `consumed` says how far it got. Body pieces seen in this call are
  // available from body_pieces() (decoded: chunk framing removed).
  Result feed(const char* base, size_t from, size_t to);

  // The peer closed its side: completes a close-delimited response, else an error.
  Result finish();

  const MessageHead& head() const { return head_; }
  ParseError error() const { return error_; }
  const char* error_reason() const { return error_reason_; }

  // True once the head is parsed and the message carries no body to read.
  bool message_done() const { return message_done_; }
  uint64_t body_bytes() const { return body_bytes_; }

  // Decoded body pieces found by the last feed() (offsets into its base). When a feed
  // finds more pieces than fit, it stops early (consumed < available): feed again.
  const Span* body_pieces() const { return pieces_.get(); }
  size_t body_piece_count() const { return piece_count_; }

  // True when the body extends until the connection closes (responses without framing).
  bool body_until_close() const;

 private:
  static int on_message_begin(llhttp_t* p);
  static int on_method(llhttp_t* p, const char* at, size_t n);
  static int on_url(llhttp_t* p, const char* at, size_t n);
  static int on_status(llhttp_t* p, const char* at, size_t n);
  static int on_version(llhttp_t* p, const char* at, size_t n);
  static int on_header_field(llhttp_t* p, const char* at, size_t n);
  static int on_header_value(llhttp_t* p, const char* at, size_t n);
  static int on_header_value_complete(llhttp_t* p);
  static int on_headers_complete(llhttp_t* p);
  static int on_body(llhttp_t* p, const char* at, size_t n);
  static int on_message_complete(llhttp_t* p);

  static const llhttp_settings_t& settings();
  int fail(ParseError error, const char* reason);
  int add_header_bytes(size_t n);
  static void extend(Span& span, uint32_t off, size_t n);
  bool check_head_size(size_t to);
  bool check_line_ends(size_t from, size_t to, char& prev);
  bool check_chunk_framing(size_t from, size_t to);
  void map_llhttp_error(llhttp_errno_t err);
  int validate_framing();

  static constexpr size_t kMaxPieces = 64;

  Kind kind_;
  llhttp_t parser_{};
  ParserLimits limits_;
  MessageHead head_;
  const char* base_ = nullptr;
  size_t head_start_ = 0;  // offset of the first byte of this message in base
  bool in_head_ = true;
  bool head_done_ = false;
  bool message_done_ = false;
  bool request_was_head_ = false;
  bool field_open_ = false;  // a header field started and its value not yet complete
  bool no_body_ = false;     // response to HEAD, 1xx, 204, 304: ends with its head
  char prev_byte_ = 0;       // last byte consumed, in stream order (for line-end checks)
  uint64_t header_bytes_ = 0;
  uint64_t body_bytes_ = 0;
  ParseError error_ = ParseError::kNone;
  const char* error_reason_ = "";
  enum class Pause : uint8_t { kNone, kHead, kMessage, kPieces };
  Pause pause_ = Pause::kNone;
  Span version_;
  std::unique_ptr<Span[]> pieces_;  // kMaxPieces, allocated on first use
  size_t piece_count_ = 0;
};

}  // namespace tern::http
