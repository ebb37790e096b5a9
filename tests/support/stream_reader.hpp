// Buffered reading of HTTP/1.1 framing from a socket: heads, CRLF lines, exact-length and
// chunked bodies, read-until-close. Bodies go to a sink piece by piece, so a body of any
// size is read in constant memory.
//
// Thread affinity: one thread at a time. Ownership: borrows the fd (the caller owns it).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "tests/support/socket_io.hpp"

namespace tern::test {

using BodySink = std::function<void(const char*, size_t)>;

struct ReadStatus {
  IoStatus io = IoStatus::kOk;
  std::string error;  // framing error (io is kError then)
  bool ok() const { return io == IoStatus::kOk; }
  std::string describe() const;
};

class StreamReader {
 public:
  // `idle_timeout` bounds every single wait for bytes.
  StreamReader(int fd, Millis idle_timeout) : fd_(fd), idle_timeout_(idle_timeout) {}

  void set_idle_timeout(Millis t) { idle_timeout_ = t; }
  // Reads a head ending in an empty line; `head` gets it without the final CRLFCRLF.
  // kClosed with `head` empty means the peer closed cleanly between messages.
  ReadStatus read_head(std::string& head, size_t max_bytes);
  // One CRLF-terminated line without the CRLF.
  ReadStatus read_line(std::string& line, size_t max_bytes);
  ReadStatus read_exact(uint64_t size, const BodySink& sink);
  // Chunked body (RFC 9112 section 7.1); trailer lines (without the final CRLF) go to
  // `trailer_text`.
  ReadStatus read_chunked(const BodySink& sink, std::string& trailer_text);
  ReadStatus read_to_close(const BodySink& sink);

  size_t buffered() const { return buf_.size() - pos_; }
  uint64_t bytes_read() const { return bytes_read_; }
  // Reads whatever arrives until the deadline or close; for "is anything more sent?".
  IoStatus fill_once(Millis timeout);

 private:
  IoStatus fill(Clock::time_point deadline);
  void consume(size_t n);

  int fd_;
  Millis idle_timeout_;
  std::string buf_;
  size_t pos_ = 0;
  uint64_t bytes_read_ = 0;
  std::vector<char> scratch_;
};

}  // namespace tern::test
