#include "tests/support/backend_session.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "tests/support/pattern.hpp"
#include "tests/support/sha256.hpp"

namespace tern::test {
namespace {

constexpr Millis kIdle{3600 * 1000};  // the peer decides when a connection ends
constexpr Millis kWrite{60 * 1000};

const char* reason_of(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 103:
      return "Early Hints";
    case 200:
      return "OK";
    case 204:
      return "No Content";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    default:
      return "Status";
  }
}

std::optional<uint64_t> number_after(const std::string& path, std::string_view prefix) {
  if (path.size() <= prefix.size() || path.compare(0, prefix.size(), prefix) != 0) {
    return std::nullopt;
  }
  return parse_decimal(std::string_view(path).substr(prefix.size()));
}

}  // namespace

BackendSession::Reply BackendSession::make_reply(int status, std::string body, Headers headers,
                                                 bool close, bool no_length) {
  Reply r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  r.close = close;
  r.no_length = no_length;
  return r;
}

BackendSession::BackendSession(Backend& backend, uint64_t id, int fd)
    : backend_(backend), id_(id), fd_(fd), reader_(fd, kIdle) {}

void BackendSession::run() {
  while (!backend_.stopping() && serve_one()) {
  }
  if (reset_) {
    // The Backend closes the socket; with a zero linger that close sends a RST.
    linger l{1, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  } else {
    ::shutdown(fd_, SHUT_WR);
  }
}

bool BackendSession::serve_one() {
  backend_.set_idle(id_, reader_.buffered() == 0);
  std::string head;
  const ReadStatus st = reader_.read_head(head, 1 << 20);
  backend_.set_idle(id_, false);
  RecordedRequest req;
  req.connection_id = id_;
  if (!st.ok()) {
    if (head.empty() && st.error.empty()) return false;  // clean close between requests
    req.error = st.describe();
    backend_.record(req);
    return false;
  }
  ParsedHead parsed;
  std::string err = parse_head(head, parsed);
  if (err.empty()) err = split_request_line(parsed.start_line, req.method, req.target, req.version);
  req.headers = std::move(parsed.headers);
  if (err.empty() && req.header("User-Agent") == "tern-health-checker") {
    const int status = backend_.record_probe(id_);
    if (status < 0) {
      backend_.sleep_for(Millis(3600 * 1000));
      return false;
    }
    if (status > 0) return send_reply(req, make_reply(status, "probe\n"));
    return respond(req);
  }
  const size_t index = backend_.record(req);
  if (drop_next_) {
    // Armed by /drop-next: this request is taken and the connection closed without a
    // byte of response, as by a server whose keep-alive timeout fired at that moment.
    req.error = "dropped by /drop-next";
    backend_.update(index, req);
    return false;
  }
  if (!err.empty()) {
    req.error = err;
    backend_.update(index, req);
    send_reply(req, make_reply(400, "bad request: " + err + "\n", {}, true));
    return false;
  }
  if (split_target(req.target).first == "/stall") {
    // Reads nothing of the body, answers nothing: the sender must be pushed back.
    backend_.sleep_for(Millis(3600 * 1000));
    return false;
  }
  if (!read_body(req, index)) return false;
  return respond(req);
}

bool BackendSession::read_body(RecordedRequest& req, size_t index) {
  const auto te = req.header("Transfer-Encoding");
  const auto cls = req.header_all("Content-Length");
  req.chunked = te.has_value();
  std::optional<uint64_t> length;
  if (te && !iequals(trim(*te), "chunked")) req.error = "unsupported transfer-encoding " + *te;
  if (te && !cls.empty()) req.error = "both Transfer-Encoding and Content-Length";
  for (const auto& v : cls) {
    const auto n = parse_decimal(v);
    if (!n || (length && *length != *n)) req.error = "bad Content-Length " + v;
    length = n;
  }
  if (!req.error.empty()) {
    backend_.update(index, req);
    send_reply(req, make_reply(400, "bad request: " + req.error + "\n", {}, true));
    return false;
  }
  if (header_has_token(req.headers, "Expect", "100-continue") && (req.chunked || length > 0U)) {
    if (!send("HTTP/1.1 100 Continue\r\n\r\n")) return false;
  }
  Sha256 hash;
  const BodySink sink = [&](const char* p, size_t n) { hash.update(p, n); };
  ReadStatus st;
  if (req.chunked) {
    std::string trailers;
    st = reader_.read_chunked(sink, trailers);
    if (st.ok()) {
      if (auto e = parse_header_lines(trailers, req.trailers); !e.empty())
        st = {IoStatus::kError, e};
    }
  } else if (length) {
    st = reader_.read_exact(*length, sink);
  }
  req.body_size = hash.bytes();
  req.body_sha256 = hash.hex_digest();
  req.complete = st.ok();
  if (!st.ok()) req.error = "body: " + st.describe();
  backend_.update(index, req);
  return st.ok();
}

bool BackendSession::wants_close(const RecordedRequest& req) const {
  if (header_has_token(req.headers, "Connection", "close")) return true;
  return req.version == "HTTP/1.0" && !header_has_token(req.headers, "Connection", "keep-alive");
}

std::string BackendSession::head_of(const RecordedRequest& req, int status, const Headers& headers,
                                    bool close) const {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason_of(status) + "\r\n";
  out += "X-Backend: " + backend_.name() + "\r\n";
  out += "X-Connection-Id: " + std::to_string(id_) + "\r\n";
  for (const auto& h : headers) out += h.name + ": " + h.value + "\r\n";
  if (const auto cookie = query_param(split_target(req.target).second, "set_cookie")) {
    out += "Set-Cookie: " + *cookie + "; Path=/\r\n";
  }
  if (close) {
    out += "Connection: close\r\n";
  } else if (req.version == "HTTP/1.0") {
    out += "Connection: keep-alive\r\n";
  }
  out += "\r\n";
  return out;
}

bool BackendSession::send(const std::string& bytes) {
  return send(bytes.data(), bytes.size());
}

bool BackendSession::send(const char* data, size_t size) {
  const IoResult r = write_all(fd_, data, size, deadline_in(kWrite));
  backend_.add_written(r.bytes);
  return r.status == IoStatus::kOk;
}

bool BackendSession::send_reply(const RecordedRequest& req, Reply reply) {
  reply.close = reply.close || wants_close(req);
  if (!reply.no_length) {
    reply.headers.push_back({"Content-Length", std::to_string(reply.body.size())});
  }
  std::string out = head_of(req, reply.status, reply.headers, reply.close);
  if (req.method != "HEAD") out += reply.body;
  return send(out) && !reply.close;
}

bool BackendSession::stream_bytes(const RecordedRequest& req, uint64_t size, uint64_t stall_after) {
  const bool close = wants_close(req);
  if (!send(head_of(req, 200, {{"Content-Length", std::to_string(size)}}, close))) return false;
  if (req.method == "HEAD") return !close;
  std::vector<char> buf(256 * 1024);
  for (uint64_t off = 0; off < size;) {
    if (off >= stall_after) {
      backend_.sleep_for(Millis(3600 * 1000));  // stop sending mid-body until stop()
      return false;
    }
    const size_t n =
        static_cast<size_t>(std::min({uint64_t{buf.size()}, size - off, stall_after - off}));
    fill_pattern(off, buf.data(), n);
    if (!send(buf.data(), n)) return false;
    off += n;
  }
  return !close;
}

bool BackendSession::stream_chunked(const RecordedRequest& req, uint64_t size,
                                    const std::string& query) {
  const bool close = wants_close(req);
  const bool trailers = query_param(query, "trailers").has_value();
  Headers headers{{"Transfer-Encoding", "chunked"}};
  if (trailers) headers.push_back({"Trailer", "X-Checksum, X-Size"});
  if (!send(head_of(req, 200, headers, close))) return false;
  if (req.method == "HEAD") return !close;
  const uint64_t piece = std::max<uint64_t>(
      1, parse_decimal(query_param(query, "chunk").value_or("16384")).value_or(16384));
  std::vector<char> buf(static_cast<size_t>(std::min<uint64_t>(piece, 1 << 20)));
  Sha256 hash;
  char size_line[32];
  for (uint64_t off = 0; off < size;) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(buf.size(), size - off));
    fill_pattern(off, buf.data(), n);
    hash.update(buf.data(), n);
    const int len = std::snprintf(size_line, sizeof size_line, "%zx\r\n", n);
    std::string piece_out(size_line, static_cast<size_t>(len));
    piece_out.append(buf.data(), n);
    piece_out += "\r\n";
    if (!send(piece_out)) return false;
    off += n;
  }
  std::string last = "0\r\n";
  if (trailers) {
    last += "X-Checksum: " + hash.hex_digest() + "\r\nX-Size: " + std::to_string(size) + "\r\n";
  }
  last += "\r\n";
  return send(last) && !close;
}

bool BackendSession::send_bad(const std::string& kind) {
  const std::string ok = "HTTP/1.1 200 OK\r\nX-Backend: " + backend_.name() + "\r\n";
  if (kind == "cl-te") {
    send(ok + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
  } else if (kind == "two-cl") {
    send(ok + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!");
  } else if (kind == "status") {
    send("HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n");
  } else if (kind == "bare-lf") {
    send("HTTP/1.1 200 OK\nContent-Length: 5\n\nhello");
  } else if (kind == "truncated") {
    send(ok + "Content-Length: 100\r\n\r\n0123456789");
  } else if (kind == "bad-chunk") {
    send(ok + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\nworld\r\n0\r\n\r\n");
  } else if (kind == "extra") {
    // A response followed by one nobody asked for: whoever reuses this connection must not
    // deliver the second one as the answer to the next request.
    send(ok + "Content-Length: 5\r\n\r\nhello" +
         "HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nSMUGGLED");
    return true;
  }
  return false;
}

std::string BackendSession::echo_body(const RecordedRequest& req) const {
  std::string out =
      "method: " + req.method + "\ntarget: " + req.target + "\nversion: " + req.version + "\n";
  for (const auto& h : req.headers) out += "header: " + h.name + ": " + h.value + "\n";
  for (const auto& h : req.trailers) out += "trailer: " + h.name + ": " + h.value + "\n";
  out += "body-size: " + std::to_string(req.body_size) + "\nbody-sha256: " + req.body_sha256 +
         "\nbackend: " + backend_.name() + "\n";
  return out;
}

bool BackendSession::respond(const RecordedRequest& req) {
  const auto [path, query] = split_target(req.target);
  if (const auto done = respond_with_content(req, path, query)) return *done;
  if (const auto done = respond_with_failure(req, path, query)) return *done;
  return send_reply(req, make_reply(404, "no behaviour for " + path + "\n"));
}

std::optional<bool> BackendSession::respond_with_content(const RecordedRequest& req,
                                                         const std::string& path,
                                                         const std::string& query) {
  if (path == "/health") return send_reply(req, make_reply(200, "ok\n"));
  if (path == "/" || path == "/index.html") {
    return send_reply(req, make_reply(200, "hello from " + backend_.name() + "\n"));
  }
  if (path == "/echo") {
    return send_reply(req, make_reply(200, echo_body(req), {{"Content-Type", "text/plain"}}));
  }
  if (const auto n = number_after(path, "/bytes/")) {
    const auto stall = parse_decimal(query_param(query, "stall_after").value_or(""));
    return stream_bytes(req, *n, stall.value_or(UINT64_MAX));
  }
  if (const auto n = number_after(path, "/chunked/")) return stream_chunked(req, *n, query);
  if (path == "/sha256") {
    const std::string size = std::to_string(req.body_size);
    return send_reply(req, make_reply(200, req.body_sha256 + " " + size + "\n",
                                      {{"X-Body-Sha256", req.body_sha256}, {"X-Body-Size", size}}));
  }
  if (const auto n = number_after(path, "/status/")) {
    const int status = static_cast<int>(*n);
    if (status == 204) return send_reply(req, make_reply(204, "", {}, false, true));
    if (status == 304) {
      // RFC 9110 section 8.6: a 304 may carry the Content-Length of the selected
      // representation, and never has a body.
      return send_reply(
          req, make_reply(304, "", {{"ETag", "\"v1\""}, {"Content-Length", "12"}}, false, true));
    }
    return send_reply(req, make_reply(status, "status " + std::to_string(status) + "\n"));
  }
  if (const auto n = number_after(path, "/delay/")) {
    if (!backend_.sleep_for(Millis(*n))) return false;
    return send_reply(req, make_reply(200, "delayed " + std::to_string(*n) + "\n"));
  }
  if (path == "/100" || path == "/103") {
    const std::string interim = path == "/100" ? "HTTP/1.1 100 Continue\r\n\r\n"
                                               : "HTTP/1.1 103 Early Hints\r\n"
                                                 "Link: </style.css>; rel=preload\r\n\r\n";
    if (!send(interim)) return false;
    return send_reply(req, make_reply(200, "final after " + path.substr(1) + "\n"));
  }
  return std::nullopt;
}

std::optional<bool> BackendSession::respond_with_failure(const RecordedRequest& req,
                                                         const std::string& path,
                                                         const std::string& query) {
  if (path == "/close") {
    if (query_param(query, "silent")) {
      send_reply(req, make_reply(200, "closing silently\n"));
      return false;
    }
    return send_reply(req, make_reply(200, "closing\n", {}, true));
  }
  if (path == "/drop-next") {
    drop_next_ = true;
    return send_reply(req, make_reply(200, "armed\n"));
  }
  if (path == "/reset") {
    reset_ = true;
    return false;
  }
  if (path == "/garbage") {
    send("this is not an HTTP response\r\n\r\n");
    return false;
  }
  if (path == "/hang") {
    while (!backend_.stopping() && reader_.fill_once(Millis(3600 * 1000)) == IoStatus::kOk) {
    }
    return false;
  }
  if (path.rfind("/bad/", 0) == 0) return send_bad(path.substr(5));
  return std::nullopt;
}

}  // namespace tern::test
