#include "tests/support/stream_reader.hpp"

#include <algorithm>

#include "tests/support/http_message.hpp"

namespace tern::test {
namespace {
constexpr size_t kReadPiece = 256 * 1024;
}

std::string ReadStatus::describe() const {
  if (!error.empty()) return error;
  return to_string(io);
}

IoStatus StreamReader::fill(Clock::time_point deadline) {
  if (pos_ > 0 && pos_ == buf_.size()) {
    buf_.clear();
    pos_ = 0;
  } else if (pos_ > 64 * 1024) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  const size_t old = buf_.size();
  buf_.resize(old + 64 * 1024);
  const IoResult r = read_some(fd_, buf_.data() + old, 64 * 1024, deadline);
  buf_.resize(old + r.bytes);
  bytes_read_ += r.bytes;
  return r.status;
}

IoStatus StreamReader::fill_once(Millis timeout) {
  return fill(deadline_in(timeout));
}

void StreamReader::consume(size_t n) {
  pos_ += n;
  if (pos_ == buf_.size()) {
    buf_.clear();
    pos_ = 0;
  }
}

ReadStatus StreamReader::read_head(std::string& head, size_t max_bytes) {
  size_t searched = 0;
  for (;;) {
    const std::string_view data(buf_.data() + pos_, buf_.size() - pos_);
    const size_t end = data.find("\r\n\r\n", searched > 3 ? searched - 3 : 0);
    const size_t lf = data.find("\n\n", searched > 1 ? searched - 1 : 0);
    if (lf != std::string_view::npos && (end == std::string_view::npos || lf < end + 2)) {
      head = std::string(data.substr(0, lf));
      return {IoStatus::kError, "head ends with a bare LF"};
    }
    if (end != std::string_view::npos) {
      head = std::string(data.substr(0, end));
      consume(end + 4);
      return {};
    }
    if (data.size() > max_bytes) return {IoStatus::kError, "head too large"};
    searched = data.size();
    const IoStatus st = fill(deadline_in(idle_timeout_));
    if (st != IoStatus::kOk) {
      head = std::string(buf_.data() + pos_, buf_.size() - pos_);
      if (st == IoStatus::kClosed && !head.empty()) return {st, "closed inside a head"};
      return {st, {}};
    }
  }
}

ReadStatus StreamReader::read_line(std::string& line, size_t max_bytes) {
  for (;;) {
    const std::string_view data(buf_.data() + pos_, buf_.size() - pos_);
    const size_t end = data.find("\r\n");
    if (end != std::string_view::npos) {
      line = std::string(data.substr(0, end));
      consume(end + 2);
      if (line.find_first_of("\r\n") != std::string::npos) {
        return {IoStatus::kError, "bare CR or LF in a line"};
      }
      return {};
    }
    if (data.size() > max_bytes) return {IoStatus::kError, "line too long"};
    const IoStatus st = fill(deadline_in(idle_timeout_));
    if (st != IoStatus::kOk) return {st, st == IoStatus::kClosed ? "closed inside a line" : ""};
  }
}

ReadStatus StreamReader::read_exact(uint64_t size, const BodySink& sink) {
  uint64_t left = size;
  const size_t from_buf = static_cast<size_t>(std::min<uint64_t>(left, buffered()));
  if (from_buf > 0) {
    if (sink) sink(buf_.data() + pos_, from_buf);
    consume(from_buf);
    left -= from_buf;
  }
  if (left > 0 && scratch_.empty()) scratch_.resize(kReadPiece);
  while (left > 0) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(left, scratch_.size()));
    const IoResult r = read_some(fd_, scratch_.data(), want, deadline_in(idle_timeout_));
    if (r.status != IoStatus::kOk) {
      return {r.status, r.status == IoStatus::kClosed ? "closed inside a body" : ""};
    }
    bytes_read_ += r.bytes;
    if (sink) sink(scratch_.data(), r.bytes);
    left -= r.bytes;
  }
  return {};
}

ReadStatus StreamReader::read_chunked(const BodySink& sink, std::string& trailer_text) {
  std::string line;
  for (;;) {
    if (auto st = read_line(line, 4096); !st.ok()) return st;
    const auto size = parse_chunk_size(line);
    if (!size) return {IoStatus::kError, "invalid chunk size line: " + line};
    if (*size == 0) break;
    if (auto st = read_exact(*size, sink); !st.ok()) return st;
    if (auto st = read_line(line, 16); !st.ok()) return st;
    if (!line.empty()) return {IoStatus::kError, "chunk data not followed by CRLF"};
  }
  trailer_text.clear();
  for (;;) {
    if (auto st = read_line(line, 64 * 1024); !st.ok()) return st;
    if (line.empty()) return {};
    if (!trailer_text.empty()) trailer_text += "\r\n";
    trailer_text += line;
  }
}

ReadStatus StreamReader::read_to_close(const BodySink& sink) {
  if (buffered() > 0) {
    if (sink) sink(buf_.data() + pos_, buffered());
    consume(buffered());
  }
  if (scratch_.empty()) scratch_.resize(kReadPiece);
  for (;;) {
    const IoResult r = read_some(fd_, scratch_.data(), scratch_.size(), deadline_in(idle_timeout_));
    if (r.status == IoStatus::kClosed) return {};
    if (r.status != IoStatus::kOk) return {r.status, {}};
    bytes_read_ += r.bytes;
    if (sink) sink(scratch_.data(), r.bytes);
  }
}

}  // namespace tern::test
