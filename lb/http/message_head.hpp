// A parsed HTTP/1.x message head as offsets into the connection's read buffer, so that
// nothing is copied while parsing. Valid until the buffer is compacted (end of stream).
//
// Thread affinity: the worker that owns the connection. Ownership: by value, owned by the
// Parser; storage is reused across messages (no allocation in steady state).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tern::http {

// Byte range [off, off+len) in the buffer the parser was fed.
struct Span {
  uint32_t off = 0;
  uint32_t len = 0;

  bool empty() const { return len == 0; }
  uint32_t end() const { return off + len; }
  std::string_view view(const char* base) const { return {base + off, len}; }
};

struct HeaderField {
  Span name;
  Span value;  // optional whitespace around the value already trimmed
};

struct MessageHead {
  // Request line (requests) / status line (responses).
  uint8_t method = 0;  // llhttp_method_t
  Span method_text;
  Span target;
  uint8_t version_major = 1;
  uint8_t version_minor = 1;
  int status = 0;
  Span reason;

  std::vector<HeaderField> headers;

  // Framing, as the parser saw it.
  bool has_content_length = false;
  uint64_t content_length = 0;
  bool chunked = false;
  bool keep_alive = true;   // llhttp_should_keep_alive at head completion
  bool upgrade = false;     // Connection: upgrade + Upgrade (or CONNECT)
  uint32_t head_bytes = 0;  // size of the head on the wire, CRLFCRLF included

  void clear() {
    method = 0;
    method_text = {};
    target = {};
    version_major = version_minor = 1;
    status = 0;
    reason = {};
    headers.clear();
    has_content_length = chunked = upgrade = false;
    keep_alive = true;
    content_length = 0;
    head_bytes = 0;
  }
};

// Appends the decimal digits of v, at least `min_digits` (zero-padded); the per-request
// heads are built with this instead of snprintf, which costs ~1,500 instructions a call.
inline void append_decimal(std::string& out, unsigned v, int min_digits = 1) {
  char digits[10];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n < min_digits) digits[n++] = '0';
  while (n > 0) out.push_back(digits[--n]);
}

// Case-insensitive ASCII comparison for header names and tokens (RFC 9110 §5.1).
bool iequals(std::string_view a, std::string_view b);

// Value of the first header named `name`, or empty when absent (`found` tells which).
std::string_view find_header(const MessageHead& head, const char* base, std::string_view name,
                             bool* found = nullptr);

// Number of header lines named `name`.
int count_header(const MessageHead& head, const char* base, std::string_view name);

}  // namespace tern::http
