// The HTTP/1.1 side of one admin connection, without the socket: bytes go in, responses
// come out. It parses requests with tern's strict parser (lb/http/parser.hpp) under the
// admin limits, answers each complete request through the Router, one at a time and in
// order (pipelined requests wait in the buffer), keeps the connection alive when HTTP
// allows, and decides when it must close. Being free of I/O, the whole request -> response
// behaviour is unit-tested byte for byte; AdminConnection only moves bytes and keeps time.
//
// Thread affinity: the control thread (the admin server's io_context). Ownership: owned by
// its AdminConnection; refers to the server's Router, which outlives it.
#pragma once

#include <boost/asio/buffer.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "lb/admin/router.hpp"
#include "lb/http/parser.hpp"
#include "lb/net/buffer.hpp"

namespace tern::admin {

struct SessionLimits {
  uint64_t max_request_line = 8 * 1024;   // 414 beyond
  uint64_t max_header_bytes = 16 * 1024;  // 431 beyond (field names and values)
  uint64_t max_body_bytes = 1024 * 1024;  // 413 beyond (decoded body)
};

class Session {
 public:
  enum class Action {
    kRead,   // needs more bytes: read into prepare(), then commit()
    kWrite,  // `out` holds bytes to send; then call next() again
    kClose,  // nothing more to do on this connection
  };
  struct Step {
    Action action = Action::kRead;
    bool close = false;    // with kWrite: the connection closes after this write
    bool linger = false;   // with close: request bytes may be unread; drain before closing
    bool interim = false;  // with kWrite: a 1xx; the request is still in progress
  };

  explicit Session(const Router& router, SessionLimits limits = {});
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Free space to read into (at least `min_free` bytes), then commit() what was read.
  boost::asio::mutable_buffer prepare(size_t min_free) { return in_.prepare_buffer(min_free); }
  void commit(size_t n) { in_.commit(n); }

  // Parses what is buffered. A complete request is answered (handler called) and its
  // response left in `out` (kWrite); a malformed one gets its 4xx/5xx with close. An
  // interim 100 Continue is also a kWrite (RFC 9110 §10.1.1). `date` is the Date value.
  Step next(std::string_view date, std::string& out);

  // Bytes of an unanswered request are buffered: the request timeout applies, not the
  // idle one.
  bool in_request() const { return started_ || in_.size() > 0; }

  // The request timeout passed while a request was incomplete: a 408 with close.
  void timed_out(std::string_view date, std::string& out);

 private:
  Step answer(std::string_view date, std::string& out);
  Step reject(int status, std::string_view message, std::string_view date, std::string& out);
  Step reject_parse_error(std::string_view date, std::string& out);
  // Checks the parser leaves to its caller (request-target form, Host value); the
  // problem, or nullptr.
  const char* check_head() const;
  bool wants_continue() const;
  void take_body_pieces();

  const Router& router_;
  SessionLimits limits_;
  http::Parser parser_{http::Parser::Kind::kRequest};
  net::Buffer in_;
  std::string body_;
  size_t parsed_ = 0;     // bytes of in_ the parser has consumed for the current request
  bool started_ = false;  // parser_.start() was called for the request at the buffer front
  bool closed_ = false;   // a closing response was produced
};

}  // namespace tern::admin
