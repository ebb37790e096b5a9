#include "tests/support/client.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "tests/support/pattern.hpp"
#include "tests/support/sha256.hpp"

namespace tern::test {
namespace {

// Writes everything unless the peer has something to say first: when the socket becomes
// readable before the bytes are out, stops and reports kOk with fewer bytes (an early
// response, e.g. a 413 while a body is still being sent).
IoResult write_unless_readable(int fd, const char* data, size_t size, Millis timeout,
                               bool& readable) {
  size_t done = 0;
  readable = false;
  while (done < size) {
    pollfd p{fd, POLLIN | POLLOUT, 0};
    const int r = ::poll(&p, 1, static_cast<int>(timeout.count()));
    if (r == 0) return {IoStatus::kTimeout, done, 0};
    if (r < 0) {
      if (errno == EINTR) continue;
      return {IoStatus::kError, done, errno};
    }
    if ((p.revents & POLLIN) != 0) {
      readable = true;
      return {IoStatus::kOk, done, 0};
    }
    const ssize_t n = ::send(fd, data + done, size - done, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n > 0) {
      done += static_cast<size_t>(n);
    } else if (n < 0 && errno != EAGAIN && errno != EINTR && errno != EWOULDBLOCK) {
      const IoStatus st =
          errno == EPIPE || errno == ECONNRESET ? IoStatus::kReset : IoStatus::kError;
      return {st, done, errno};
    }
  }
  return {IoStatus::kOk, done, 0};
}

ReadOptions timeout_options(Millis timeout) {
  ReadOptions options;
  options.timeout = timeout;
  return options;
}

}  // namespace

bool Response::closes() const {
  if (header_has_token(headers, "Connection", "close")) return true;
  return version == "HTTP/1.0" && !header_has_token(headers, "Connection", "keep-alive");
}

std::string Response::describe() const {
  std::string out = status != 0 ? std::to_string(status) + " " + reason : "no response";
  if (!error.empty()) out += " [" + error + "]";
  for (const auto& h : headers) out += " | " + h.name + ": " + h.value;
  if (!body.empty() && body.size() < 400) out += " | body: " + body;
  return out;
}

Client::Client(Fd fd)
    : fd_(std::move(fd)), reader_(std::make_unique<StreamReader>(fd_.get(), Millis(10000))) {}

Client::Client(uint16_t port, Millis timeout) {
  int err = 0;
  fd_ = connect_tcp("127.0.0.1", port, timeout, &err);
  if (!fd_.valid()) {
    throw std::runtime_error("connect to 127.0.0.1:" + std::to_string(port) +
                             " failed: " + std::strerror(err));
  }
  reader_ = std::make_unique<StreamReader>(fd_.get(), Millis(10000));
}

std::unique_ptr<Client> Client::try_connect(uint16_t port, Millis timeout, int* error) {
  Fd fd = connect_tcp("127.0.0.1", port, timeout, error);
  if (!fd.valid()) return nullptr;
  return std::unique_ptr<Client>(new Client(std::move(fd)));
}

bool Client::send(std::string_view bytes, Millis timeout) {
  const IoResult r = write_all(fd_.get(), bytes.data(), bytes.size(), deadline_in(timeout));
  sent_ += r.bytes;
  return r.status == IoStatus::kOk;
}

Response Client::read_response(const ReadOptions& options) {
  return read_one(options);
}

Response Client::request(std::string_view raw, const ReadOptions& options) {
  if (!send(raw, options.timeout)) {
    Response r;
    r.error = "send failed";
    // The server may have answered and closed before taking everything.
    Response late = read_one(options);
    return late.ok() ? late : r;
  }
  return read_one(options);
}

Response Client::get(std::string_view target, const Headers& headers, const ReadOptions& options) {
  return request(build_request("GET", target, headers), options);
}

Response Client::read_one(const ReadOptions& options, bool stop_at_interim) {
  reader_->set_idle_timeout(options.timeout);
  Response r;
  for (;;) {
    std::string head;
    const ReadStatus st = reader_->read_head(head, 1 << 20);
    if (!st.ok()) {
      r.io = st.io;
      r.error = st.describe();
      return r;
    }
    ParsedHead parsed;
    std::string err = parse_head(head, parsed);
    if (err.empty()) err = split_status_line(parsed.start_line, r.version, r.status, r.reason);
    r.headers = std::move(parsed.headers);
    if (!err.empty()) {
      r.io = IoStatus::kError;
      r.error = err;
      r.status = 0;
      return r;
    }
    if (r.status >= 100 && r.status < 200 && r.status != 101) {
      auto interim = std::move(r.interim);
      interim.push_back(std::move(r));
      r = Response{};
      r.interim = std::move(interim);
      if (stop_at_interim) return r;
      continue;
    }
    read_body(r, options);
    return r;
  }
}

void Client::read_body(Response& r, const ReadOptions& options) {
  Sha256 hash;
  const BodySink sink = [&](const char* p, size_t n) {
    hash.update(p, n);
    if (options.store_body) r.body.append(p, n);
  };
  ReadStatus st;
  const bool no_body = options.head || r.status == 204 || r.status == 304;
  const auto te = find_all(r.headers, "Transfer-Encoding");
  const auto cls = find_all(r.headers, "Content-Length");
  if (no_body) {
    // RFC 9112 section 6.3 rule 1: the headers describe what GET would have sent.
  } else if (!te.empty()) {
    r.chunked = iequals(trim(te.back()), "chunked");
    if (!cls.empty()) st = {IoStatus::kError, "response has Transfer-Encoding and Content-Length"};
    std::string trailers;
    if (st.ok())
      st = r.chunked ? reader_->read_chunked(sink, trailers) : reader_->read_to_close(sink);
    if (st.ok()) {
      if (auto e = parse_header_lines(trailers, r.trailers); !e.empty()) st = {IoStatus::kError, e};
    }
  } else if (!cls.empty()) {
    const auto n = parse_decimal(cls.front());
    for (const auto& v : cls) {
      if (!n || parse_decimal(v) != n) st = {IoStatus::kError, "bad Content-Length in response"};
    }
    if (st.ok()) st = reader_->read_exact(*n, sink);
  } else {
    st = reader_->read_to_close(sink);
  }
  r.body_size = hash.bytes();
  r.body_sha256 = hash.hex_digest();
  if (!st.ok()) {
    r.io = st.io;
    r.error = "body: " + st.describe();
  }
}

UploadResult Client::upload(const UploadOptions& o) {
  UploadResult result;
  Headers headers = o.headers;
  if (o.chunked) {
    headers.push_back({"Transfer-Encoding", "chunked"});
  } else {
    headers.push_back({"Content-Length", std::to_string(o.size)});
  }
  if (o.expect_continue) headers.push_back({"Expect", "100-continue"});
  if (!send(build_request(o.method, o.target, headers, {}, o.host), o.timeout)) {
    result.error = "sending the head failed";
    result.response = read_one(timeout_options(o.timeout));
    return result;
  }
  if (o.expect_continue && wait_readable(fd_.get(), deadline_in(Millis(5000)))) {
    // RFC 9110 section 10.1.1: wait for the interim 100 (or a final answer) before
    // sending the body; without any answer in time, send it anyway.
    Response first = read_one(timeout_options(o.timeout), /*stop_at_interim=*/true);
    if (first.status != 0 || !first.error.empty()) {
      result.response = std::move(first);
      result.early_response = result.response.status != 0;
      if (!result.early_response) result.error = "no answer to Expect: 100-continue";
      return result;
    }
    result.got_continue = first.interim.front().status == 100;
  }
  if (send_upload_body(o, result)) {
    // The upload's answer may take a while: the server hashes the body first.
    result.response = read_one(timeout_options(o.timeout));
  }
  return result;
}

bool Client::send_upload_body(const UploadOptions& o, UploadResult& result) {
  Sha256 hash;
  std::vector<char> buf(o.piece);
  std::string framed;
  for (uint64_t off = 0; off < o.size;) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(buf.size(), o.size - off));
    fill_pattern(off, buf.data(), n);
    std::string_view out(buf.data(), n);
    if (o.chunked) {
      char line[32];
      const int l = std::snprintf(line, sizeof line, "%zx\r\n", n);
      framed.assign(line, static_cast<size_t>(l));
      framed.append(buf.data(), n);
      framed += "\r\n";
      out = framed;
    }
    bool readable = false;
    const IoResult w =
        write_unless_readable(fd_.get(), out.data(), out.size(), o.timeout, readable);
    sent_ += w.bytes;
    if (readable || w.status != IoStatus::kOk) {
      // An answer before the whole body (e.g. 413), or the peer stopped taking bytes.
      result.early_response = readable;
      if (!readable) result.error = std::string("send: ") + to_string(w.status);
      result.sent = off;
      result.sent_sha256 = hash.hex_digest();
      result.response = read_one(timeout_options(o.timeout));
      return false;
    }
    hash.update(buf.data(), n);
    off += n;
  }
  if (o.chunked) {
    std::string last = "0\r\n";
    for (const auto& t : o.trailers) last += t.name + ": " + t.value + "\r\n";
    last += "\r\n";
    if (!send(last, o.timeout)) result.error = "sending the last chunk failed";
  }
  result.sent = hash.bytes();
  result.sent_sha256 = hash.hex_digest();
  return true;
}

Client::CloseResult Client::read_until_close(Millis timeout) {
  CloseResult out;
  reader_->set_idle_timeout(timeout);
  const auto deadline = deadline_in(timeout);
  const ReadStatus st = reader_->read_to_close([&](const char* p, size_t n) {
    out.data.append(p, n);
    if (Clock::now() > deadline) throw std::runtime_error("peer keeps sending");
  });
  out.end = st.ok() ? IoStatus::kClosed : st.io;
  return out;
}

bool Client::wait_closed(Millis timeout) {
  const CloseResult r = read_until_close(timeout);
  return r.end == IoStatus::kClosed || r.end == IoStatus::kReset;
}

bool Client::stays_open(Millis quiet) {
  if (reader_->buffered() > 0) return false;
  return reader_->fill_once(quiet) == IoStatus::kTimeout;
}

void Client::shutdown_write() {
  ::shutdown(fd_.get(), SHUT_WR);
}

void Client::close() {
  fd_.reset();
}

void Client::close_with_reset() {
  tern::test::close_with_reset(fd_);
}

Response simple_get(uint16_t port, std::string_view target, const Headers& headers,
                    const ReadOptions& options) {
  int err = 0;
  auto client = Client::try_connect(port, Millis(5000), &err);
  if (!client) {
    Response r;
    r.error = std::string("connect failed: ") + std::strerror(err);
    return r;
  }
  return client->get(target, headers, options);
}

std::string build_request(std::string_view method, std::string_view target, const Headers& headers,
                          std::string_view body, std::string_view host) {
  std::string out;
  out.append(method).append(" ").append(target).append(" HTTP/1.1\r\n");
  if (!host.empty() && !has_header(headers, "Host")) out.append("Host: ").append(host) += "\r\n";
  for (const auto& h : headers) out += h.name + ": " + h.value + "\r\n";
  if (!body.empty() && !has_header(headers, "Content-Length") &&
      !has_header(headers, "Transfer-Encoding")) {
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  out += "\r\n";
  out.append(body);
  return out;
}

}  // namespace tern::test
