#include "lb/admin/session.hpp"

#include "lb/http/message_head.hpp"
#include "lb/http/request_target.hpp"

namespace tern::admin {

namespace {

constexpr std::string_view k100Continue = "HTTP/1.1 100 Continue\r\n\r\n";

std::string limit_message(std::string_view what, uint64_t limit) {
  std::string m(what);
  m.append(" larger than ");
  http::append_decimal(m, static_cast<unsigned>(limit));
  m.append(" bytes");
  return m;
}

// The path routes see and the query, from a request-target the parser accepted and
// check_head() validated.
void split_target(std::string_view target, std::string_view& path, std::string_view& query) {
  http::RequestTarget t = http::parse_request_target(target);
  std::string_view p = t.form == http::RequestTarget::Form::kAsterisk ? target : t.path;
  size_t q = p.find('?');
  path = p.substr(0, q);
  query = q == std::string_view::npos ? std::string_view() : p.substr(q + 1);
  if (path.empty()) path = "/";  // "http://host?x" is the root (RFC 9112 §3.2.2)
}

}  // namespace

Session::Session(const Router& router, SessionLimits limits) : router_(router), limits_(limits) {}

Session::Step Session::next(std::string_view date, std::string& out) {
  if (closed_) return {Action::kClose};
  for (;;) {
    if (!started_) {
      if (in_.size() == 0) {
        in_.release();  // an idle keep-alive connection holds no buffer
        return {Action::kRead};
      }
      parser_.start();
      parser_.set_limits(
          {limits_.max_request_line, limits_.max_header_bytes, limits_.max_body_bytes});
      parsed_ = 0;
      body_.clear();
      started_ = true;
    }
    auto r = parser_.feed(in_.data(), parsed_, in_.size());
    if (r.event == http::Parser::Event::kError) return reject_parse_error(date, out);
    take_body_pieces();
    parsed_ += r.consumed;
    switch (r.event) {
      case http::Parser::Event::kHeadComplete:
        if (const char* problem = check_head()) return reject(400, problem, date, out);
        if (wants_continue()) {
          out.assign(k100Continue);
          return {Action::kWrite, false, false, true};
        }
        continue;  // feed once more: a message without a body completes right here
      case http::Parser::Event::kMessageComplete:
        return answer(date, out);
      default:
        break;
    }
    if (parsed_ == in_.size()) return {Action::kRead};
    // More body pieces than one feed reports: feed the rest. A feed that takes nothing
    // would never end; the parser does not do that, but the network is not trusted to
    // keep it so.
    if (r.consumed == 0) return reject(400, "request framing not understood", date, out);
  }
}

void Session::take_body_pieces() {
  for (size_t i = 0; i < parser_.body_piece_count(); ++i) {
    body_.append(parser_.body_pieces()[i].view(in_.data()));
  }
}

const char* Session::check_head() const {
  const http::MessageHead& h = parser_.head();
  const char* b = in_.data();
  // RFC 9112 §3.2: origin-form, absolute-form, or "*" (which no admin route matches).
  http::RequestTarget t = http::parse_request_target(h.target.view(b));
  if (t.form == http::RequestTarget::Form::kInvalid) return "invalid request target";
  // RFC 9112 §3.2: a Host with an invalid value is a 400 (the parser checked its count).
  if (!http::is_valid_host(http::find_header(h, b, "host"))) return "invalid Host header";
  return nullptr;
}

bool Session::wants_continue() const {
  // RFC 9110 §10.1.1: answer "Expect: 100-continue" with 100 before reading the body
  // (curl waits a second for it before sending a larger body); not to HTTP/1.0, and not
  // when the body is already here.
  const http::MessageHead& h = parser_.head();
  if (h.version_minor == 0 || parser_.message_done() || parsed_ < in_.size()) return false;
  if (!(h.has_content_length && h.content_length > 0) && !h.chunked) return false;
  bool found = false;
  std::string_view expect = http::find_header(h, in_.data(), "expect", &found);
  return found && http::iequals(expect, "100-continue");
}

Session::Step Session::answer(std::string_view date, std::string& out) {
  const http::MessageHead& h = parser_.head();
  const char* b = in_.data();
  Request request;
  request.method = h.method_text.view(b);
  request.target = h.target.view(b);
  split_target(request.target, request.path, request.query);
  request.body = body_;
  request.headers.reserve(h.headers.size());
  for (const auto& f : h.headers) request.headers.emplace_back(f.name.view(b), f.value.view(b));
  Response response = router_.dispatch(std::move(request));
  Framing framing;
  framing.close = response.close || !h.keep_alive;
  framing.client_http10 = h.version_minor == 0;
  framing.head = h.method == HTTP_HEAD;
  encode_response(response, framing, date, out);
  in_.consume(parsed_);  // the request's views end here; a pipelined one moves to the front
  started_ = false;
  closed_ = framing.close;
  return {Action::kWrite, framing.close, false};
}

Session::Step Session::reject(int status, std::string_view message, std::string_view date,
                              std::string& out) {
  // After a malformed request the framing of what follows is unknown: answer and close
  // (RFC 9112 §9.6), draining what the client still sends so that the close does not
  // reset the connection before the client has read the answer.
  Response response = error_response(status, message);
  Framing framing;
  framing.close = true;
  framing.head = started_ && parser_.head().head_bytes != 0 && parser_.head().method == HTTP_HEAD;
  encode_response(response, framing, date, out);
  closed_ = true;
  return {Action::kWrite, true, true};
}

Session::Step Session::reject_parse_error(std::string_view date, std::string& out) {
  switch (parser_.error()) {
    case http::ParseError::kUriTooLong:
      return reject(414, limit_message("request line", limits_.max_request_line), date, out);
    case http::ParseError::kHeadersTooLarge:
      return reject(431, limit_message("header section", limits_.max_header_bytes), date, out);
    case http::ParseError::kBodyTooLarge:
      return reject(413, limit_message("request body", limits_.max_body_bytes), date, out);
    case http::ParseError::kBadVersion:
      return reject(505, parser_.error_reason(), date, out);
    case http::ParseError::kBadTransferCoding:
      return reject(501, parser_.error_reason(), date, out);
    default:
      return reject(400, parser_.error_reason(), date, out);
  }
}

void Session::timed_out(std::string_view date, std::string& out) {
  Response response = error_response(408, "request not received within the timeout");
  encode_response(response, Framing{true, false, false}, date, out);
  closed_ = true;
}

}  // namespace tern::admin
