#include "lb/http/parser.hpp"

#include <cstring>

namespace tern::http {

namespace {

Parser& self(llhttp_t* p) {
  return *static_cast<Parser*>(p->data);
}

// Slack for the method, spaces and version around the URI on the request line.
constexpr uint64_t kRequestLineSlack = 32;

bool looks_like_version(std::string_view v) {
  // "D.D" as llhttp reports it through on_version.
  return v.size() == 3 && v[0] >= '0' && v[0] <= '9' && v[1] == '.' && v[2] >= '0' && v[2] <= '9';
}

}  // namespace

const llhttp_settings_t& Parser::settings() {
  // One callback table for every parser (llhttp keeps a pointer to it): connections do
  // not each carry a copy.
  static const llhttp_settings_t table = [] {
    llhttp_settings_t t;
    llhttp_settings_init(&t);
    t.on_message_begin = &Parser::on_message_begin;
    t.on_method = &Parser::on_method;
    t.on_url = &Parser::on_url;
    t.on_status = &Parser::on_status;
    t.on_version = &Parser::on_version;
    t.on_header_field = &Parser::on_header_field;
    t.on_header_value = &Parser::on_header_value;
    t.on_header_value_complete = &Parser::on_header_value_complete;
    t.on_headers_complete = &Parser::on_headers_complete;
    t.on_body = &Parser::on_body;
    t.on_message_complete = &Parser::on_message_complete;
    return t;
  }();
  return table;
}

Parser::Parser(Kind kind) : kind_(kind) {
  llhttp_init(&parser_, kind == Kind::kRequest ? HTTP_REQUEST : HTTP_RESPONSE, &settings());
  parser_.data = this;
}

void Parser::start(bool request_was_head) {
  // A fresh llhttp state per message: framing errors of one message never leak into the
  // next, and a response parser can be told the request was HEAD.
  llhttp_init(&parser_, kind_ == Kind::kRequest ? HTTP_REQUEST : HTTP_RESPONSE, &settings());
  parser_.data = this;
  head_.clear();
  in_head_ = true;
  head_done_ = message_done_ = field_open_ = no_body_ = false;
  prev_byte_ = 0;
  request_was_head_ = request_was_head;
  header_bytes_ = body_bytes_ = 0;
  error_ = ParseError::kNone;
  error_reason_ = "";
  pause_ = Pause::kNone;
  version_ = {};
  piece_count_ = 0;
  base_ = nullptr;
}

Parser::Result Parser::feed(const char* base, size_t from, size_t to) {
  if (error_ != ParseError::kNone) return {Event::kError, 0};
  if (base_ == nullptr) head_start_ = from;
  base_ = base;
  piece_count_ = 0;
  pause_ = Pause::kNone;
  llhttp_errno_t err = llhttp_execute(&parser_, base + from, to - from);
  size_t consumed = to - from;
  if (err == HPE_PAUSED_UPGRADE && message_done_) {
    // A message with an Upgrade header ended; tern does not switch protocols, so the next
    // bytes are parsed as the next message by a fresh start().
    pause_ = Pause::kMessage;
    consumed = static_cast<size_t>(llhttp_get_error_pos(&parser_) - (base + from));
  } else if (err == HPE_PAUSED) {
    consumed = static_cast<size_t>(llhttp_get_error_pos(&parser_) - (base + from));
    llhttp_resume(&parser_);
  } else if (err != HPE_OK) {
    if (error_ == ParseError::kNone) map_llhttp_error(err);
    return {Event::kError, 0};
  }
  if (in_head_ || pause_ == Pause::kHead) {
    size_t head_end = pause_ == Pause::kHead ? from + consumed : to;
    char prev = prev_byte_;
    if (!check_line_ends(from, head_end, prev)) return {Event::kError, 0};
    if (pause_ != Pause::kHead && !check_head_size(to)) return {Event::kError, 0};
  } else if (head_.chunked && !check_chunk_framing(from, from + consumed)) {
    return {Event::kError, 0};
  }
  if (consumed > 0) prev_byte_ = base[from + consumed - 1];
  switch (pause_) {
    case Pause::kHead: {
      head_.head_bytes = static_cast<uint32_t>(from + consumed - head_start_);
      in_head_ = false;
      return {Event::kHeadComplete, consumed};
    }
    case Pause::kMessage:
      return {Event::kMessageComplete, consumed};
    default:
      return {Event::kNeedMore, consumed};
  }
}

Parser::Result Parser::finish() {
  if (error_ != ParseError::kNone) return {Event::kError, 0};
  pause_ = Pause::kNone;
  piece_count_ = 0;
  llhttp_errno_t err = llhttp_finish(&parser_);
  if (err == HPE_PAUSED) llhttp_resume(&parser_);
  if ((err == HPE_OK || err == HPE_PAUSED) && message_done_) {
    return {Event::kMessageComplete, 0};
  }
  fail(kind_ == Kind::kResponse ? ParseError::kBadResponse : ParseError::kBadRequest,
       "connection closed before the message was complete");
  return {Event::kError, 0};
}

bool Parser::body_until_close() const {
  return kind_ == Kind::kResponse && head_done_ && !message_done_ && !no_body_ && !head_.chunked &&
         !head_.has_content_length;
}

int Parser::fail(ParseError error, const char* reason) {
  if (error_ == ParseError::kNone) {
    error_ = error;
    error_reason_ = reason;
  }
  return HPE_USER;
}

int Parser::add_header_bytes(size_t n) {
  header_bytes_ += n;
  if (header_bytes_ > limits_.max_header_bytes) {
    return fail(kind_ == Kind::kResponse ? ParseError::kBadResponse : ParseError::kHeadersTooLarge,
                "header section too large");
  }
  return 0;
}

void Parser::extend(Span& span, uint32_t off, size_t n) {
  if (span.len == 0) span.off = off;
  span.len = off + static_cast<uint32_t>(n) - span.off;
}

bool Parser::check_line_ends(size_t from, size_t to, char& prev) {
  // RFC 9112 §2.2: lines end with CRLF. llhttp 8 still takes a bare LF after the request
  // line and as the empty line that ends a field section; a recipient MAY, but parsers that
  // disagree on where a head or a chunked body ends are how requests get smuggled, so tern
  // refuses it. RFC 9112 §5.2: a server MUST reject obs-fold in a request (400); a proxy
  // receiving it in a response may not forward it either. llhttp accepts it, so it is
  // checked here: a line break followed by whitespace. `prev` is the byte before `from`.
  // Only line feeds matter, so jump between them with memchr instead of looking at every
  // byte: the same rules, a fraction of the cost on the request path.
  if (from >= to) return true;
  const char* p = base_ + from;
  const char* end = base_ + to;
  char before = prev;  // the byte before p
  while (p < end) {
    if ((*p == ' ' || *p == '\t') && before == '\n') {
      fail(kind_ == Kind::kResponse ? ParseError::kBadResponse : ParseError::kBadRequest,
           "obsolete line folding");
      return false;
    }
    const char* lf = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
    if (lf == nullptr) break;
    char cr = lf > p ? lf[-1] : before;
    if (cr != '\r') {
      fail(kind_ == Kind::kResponse ? ParseError::kBadResponse : ParseError::kBadRequest,
           "line ending without CR");
      return false;
    }
    before = '\n';
    p = lf + 1;
  }
  prev = base_[to - 1];
  return true;
}

bool Parser::check_chunk_framing(size_t from, size_t to) {
  // The chunk-size lines, the CRLF after each chunk's data and the trailer section follow
  // the same line rules as the head (RFC 9112 §7.1, §7.1.2). They are the bytes of
  // [from, to) between the data pieces this feed found.
  char prev = prev_byte_;
  size_t i = from;
  for (size_t k = 0; k < piece_count_; ++k) {
    if (!check_line_ends(i, pieces_[k].off, prev)) return false;
    i = pieces_[k].end();
    prev = base_[i - 1];
  }
  return check_line_ends(i, to, prev);
}

bool Parser::check_head_size(size_t to) {
  // Limits are enforced while the head is still arriving, so a client cannot make tern
  // buffer more than they allow. The callbacks check the URI and the fields; this bounds
  // what they do not see (the request line before the URI, whitespace, line ends).
  uint64_t so_far = to - head_start_;
  uint64_t line_limit = limits_.max_request_line + kRequestLineSlack;
  bool on_request_line = head_.headers.empty() && !field_open_;
  if (kind_ == Kind::kRequest && on_request_line && so_far > line_limit) {
    fail(ParseError::kUriTooLong, "request line too long");
    return false;
  }
  if (so_far > line_limit + limits_.max_header_bytes * 2) {
    fail(kind_ == Kind::kResponse ? ParseError::kBadResponse : ParseError::kHeadersTooLarge,
         "header section too large");
    return false;
  }
  return true;
}

void Parser::map_llhttp_error(llhttp_errno_t err) {
  const char* reason = llhttp_get_error_reason(&parser_);
  if (reason == nullptr) reason = llhttp_errno_name(err);
  if (kind_ == Kind::kResponse) {
    fail(ParseError::kBadResponse, reason);
    return;
  }
  switch (err) {
    case HPE_INVALID_VERSION: {
      // A syntactically valid version we do not speak is 505 (RFC 9110 §15.6.6); garbage
      // in its place is a malformed request line (400). llhttp reports both with this code,
      // and also what follows a version it takes (0.9, 1.0, 1.1, 2.0): "HTTP/1.1x",
      // "HTTP/1.10" or a CR without LF after "HTTP/1.1" are malformed lines, not versions.
      std::string_view v = version_.view(base_);
      bool taken = v == "0.9" || v == "1.0" || v == "1.1" || v == "2.0";
      fail(looks_like_version(v) && !taken ? ParseError::kBadVersion : ParseError::kBadRequest,
           reason);
      return;
    }
    case HPE_PAUSED_H2_UPGRADE:
      fail(ParseError::kBadVersion, "HTTP/2 connection preface on an HTTP/1 listener");
      return;
    case HPE_INVALID_TRANSFER_ENCODING:
      fail(ParseError::kBadTransferCoding, reason);
      return;
    default:
      fail(ParseError::kBadRequest, reason);
      return;
  }
}

int Parser::on_message_begin(llhttp_t* p) {
  Parser& s = self(p);
  // A second message in the same feed belongs to the caller's next start(); llhttp only
  // gets here after our pause at message completion was resumed, which never happens.
  (void)s;
  return 0;
}

int Parser::on_method(llhttp_t* p, const char* at, size_t n) {
  Parser& s = self(p);
  extend(s.head_.method_text, static_cast<uint32_t>(at - s.base_), n);
  return 0;
}

int Parser::on_url(llhttp_t* p, const char* at, size_t n) {
  Parser& s = self(p);
  extend(s.head_.target, static_cast<uint32_t>(at - s.base_), n);
  if (s.head_.target.len > s.limits_.max_request_line) {
    return s.fail(ParseError::kUriTooLong, "request target too long");
  }
  return 0;
}

int Parser::on_status(llhttp_t* p, const char* at, size_t n) {
  Parser& s = self(p);
  extend(s.head_.reason, static_cast<uint32_t>(at - s.base_), n);
  return 0;
}

int Parser::on_version(llhttp_t* p, const char* at, size_t n) {
  Parser& s = self(p);
  extend(s.version_, static_cast<uint32_t>(at - s.base_), n);
  return 0;
}

int Parser::on_header_field(llhttp_t* p, const char* at, size_t n) {
  Parser& s = self(p);
  if (!s.field_open_) {
    s.head_.headers.push_back({});
    s.field_open_ = true;
  }
  extend(s.head_.headers.back().name, static_cast<uint32_t>(at - s.base_), n);
  return s.add_header_bytes(n);
}

int Parser::on_header_value(llhttp_t* p, const char* at, size_t n) {
  Parser& s = self(p);
  if (!s.field_open_) {
    // A value without a name (": x"): llhttp accepts it, RFC 9112 §5.1 does not.
    return s.fail(s.kind_ == Kind::kResponse ? ParseError::kBadResponse : ParseError::kBadRequest,
                  "empty header field name");
  }
  extend(s.head_.headers.back().value, static_cast<uint32_t>(at - s.base_), n);
  return s.add_header_bytes(n);
}

int Parser::on_header_value_complete(llhttp_t* p) {
  Parser& s = self(p);
  if (!s.field_open_ || s.head_.headers.back().name.empty()) {
    return s.fail(s.kind_ == Kind::kResponse ? ParseError::kBadResponse : ParseError::kBadRequest,
                  "empty header field name");
  }
  Span& v = s.head_.headers.back().value;
  while (v.len > 0 && (s.base_[v.off + v.len - 1] == ' ' || s.base_[v.off + v.len - 1] == '\t')) {
    --v.len;
  }
  s.field_open_ = false;
  return s.add_header_bytes(4);  // ": " and CRLF, as ALB and nginx count them
}

int Parser::validate_framing() {
  const char* b = base_;
  int te_lines = count_header(head_, b, "transfer-encoding");
  if (te_lines > 0) {
    // RFC 9112 §6.1: chunked must be the only (final) coding tern forwards; anything else
    // is not implemented here (501). A 1.0 request with Transfer-Encoding is faulty framing.
    std::string_view te = find_header(head_, b, "transfer-encoding");
    if (kind_ == Kind::kRequest) {
      if (te_lines > 1 || !iequals(te, "chunked")) {
        return fail(ParseError::kBadTransferCoding, "unsupported transfer coding");
      }
      if (head_.version_minor == 0) {
        return fail(ParseError::kBadRequest, "Transfer-Encoding in an HTTP/1.0 request");
      }
    } else if (te_lines > 1 || !iequals(te, "chunked")) {
      return fail(ParseError::kBadResponse, "unsupported transfer coding in response");
    }
  }
  if (kind_ == Kind::kRequest) {
    // RFC 9112 §3.2: exactly one Host in HTTP/1.1; more than one is always an error.
    int hosts = count_header(head_, b, "host");
    if (hosts > 1 || (hosts == 0 && head_.version_minor == 1)) {
      return fail(ParseError::kBadRequest, hosts > 1 ? "more than one Host" : "missing Host");
    }
    if (limits_.max_body_bytes != 0 && head_.has_content_length &&
        head_.content_length > limits_.max_body_bytes) {
      return fail(ParseError::kBodyTooLarge, "body larger than max_body_bytes");
    }
  }
  return 0;
}

int Parser::on_headers_complete(llhttp_t* p) {
  Parser& s = self(p);
  MessageHead& h = s.head_;
  h.version_major = p->http_major;
  h.version_minor = p->http_minor;
  if (p->http_major != 1 || p->http_minor > 1) {
    return s.fail(s.kind_ == Kind::kResponse ? ParseError::kBadResponse : ParseError::kBadVersion,
                  "unsupported HTTP version");
  }
  h.method = p->method;
  h.status = p->status_code;
  if (s.kind_ == Kind::kRequest &&
      (h.target.off != h.method_text.end() + 1 || s.version_.off != h.target.end() + 6)) {
    // RFC 9112 §3: method SP request-target SP "HTTP/" version, one SP each.
    return s.fail(ParseError::kBadRequest, "request line parts not separated by one space");
  }
  if (s.kind_ == Kind::kResponse && (h.status < 100 || h.status > 599)) {
    // RFC 9112 §4: three digits; RFC 9110 §15: values outside 100..599 are invalid.
    // llhttp takes "HTTP/1.1 20 OK"; relaying it would hand the client a status it
    // cannot interpret.
    return s.fail(ParseError::kBadResponse, "invalid status code");
  }
  h.chunked = (p->flags & F_CHUNKED) != 0;
  h.has_content_length = (p->flags & F_CONTENT_LENGTH) != 0;
  h.content_length = h.has_content_length ? p->content_length : 0;
  h.keep_alive = llhttp_should_keep_alive(p) != 0;
  h.upgrade = p->upgrade != 0;
  if (int rc = s.validate_framing(); rc != 0) return rc;
  s.head_done_ = true;
  s.pause_ = Pause::kHead;
  bool no_body =
      s.kind_ == Kind::kResponse && (s.request_was_head_ || h.status == 204 || h.status == 304 ||
                                     (h.status >= 100 && h.status < 200));
  // RFC 9112 §6.3: responses to HEAD, 1xx, 204 and 304 have no body whatever their
  // headers say. F_SKIPBODY is what returning 1 would set; we return HPE_PAUSED instead
  // so that the caller gets control at the end of the head.
  if (no_body) p->flags |= F_SKIPBODY;
  s.no_body_ = no_body;
  return HPE_PAUSED;
}

int Parser::on_body(llhttp_t* p, const char* at, size_t n) {
  Parser& s = self(p);
  s.body_bytes_ += n;
  if (s.kind_ == Kind::kRequest && s.limits_.max_body_bytes != 0 &&
      s.body_bytes_ > s.limits_.max_body_bytes) {
    return s.fail(ParseError::kBodyTooLarge, "body larger than max_body_bytes");
  }
  // Allocated on the first body: connections that never carry one do not pay for it.
  if (!s.pieces_) s.pieces_.reset(new Span[kMaxPieces]);
  s.pieces_[s.piece_count_++] = Span{static_cast<uint32_t>(at - s.base_), static_cast<uint32_t>(n)};
  if (s.piece_count_ == kMaxPieces) {
    s.pause_ = Pause::kPieces;
    return HPE_PAUSED;
  }
  return 0;
}

int Parser::on_message_complete(llhttp_t* p) {
  Parser& s = self(p);
  s.message_done_ = true;
  s.pause_ = Pause::kMessage;
  return HPE_PAUSED;
}

}  // namespace tern::http
