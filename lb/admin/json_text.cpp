#include "lb/admin/json_text.hpp"

#include <boost/json/serialize.hpp>

namespace tern::admin {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD in UTF-8

// Length of the valid UTF-8 sequence at s[i] (RFC 3629 §4), or 0 when it is not one; then
// `bad` is how many bytes the replacement character stands for: the maximal prefix of a
// valid sequence, at least one byte.
size_t utf8_sequence(std::string_view s, size_t i, size_t& bad) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  size_t len = 0;
  unsigned char lo = 0x80;  // allowed range of the second byte (RFC 3629 §4 table)
  unsigned char hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;  // no overlong forms
    if (b0 == 0xED) hi = 0x9F;  // no UTF-16 surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;  // no overlong forms
    if (b0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    bad = 1;  // a continuation byte without a lead, C0, C1, F5..FF
    return 0;
  }
  size_t n = 1;
  for (; n < len && i + n < s.size(); ++n) {
    const auto b = static_cast<unsigned char>(s[i + n]);
    const unsigned char min = n == 1 ? lo : 0x80;
    const unsigned char max = n == 1 ? hi : 0xBF;
    if (b < min || b > max) break;
  }
  if (n == len) return len;
  bad = n;
  return 0;
}

// Offset of the first byte that is not part of valid UTF-8, or s.size().
size_t first_invalid(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    size_t bad = 0;
    size_t len = utf8_sequence(s, i, bad);
    if (len == 0) return i;
    i += len;
  }
  return i;
}

}  // namespace

std::string sanitize_utf8(std::string_view s) {
  size_t i = first_invalid(s);
  std::string out(s.substr(0, i));
  while (i < s.size()) {
    size_t bad = 0;
    size_t len = utf8_sequence(s, i, bad);
    if (len != 0) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out.append(kReplacement);
      i += bad;
    }
  }
  return out;
}

boost::json::string json_string(std::string_view s) {
  if (first_invalid(s) == s.size()) return boost::json::string(s);
  return boost::json::string(sanitize_utf8(s));
}

std::string json_quoted(std::string_view s, size_t max_bytes) {
  const bool cut = s.size() > max_bytes;
  if (cut) {
    size_t end = max_bytes;
    // Back up over continuation bytes (at most three) so that a valid character is not
    // split into replacement characters.
    for (size_t k = 0; k < 3 && end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80;
         ++k) {
      --end;
    }
    s = s.substr(0, end);
  }
  std::string out = boost::json::serialize(json_string(s));
  if (cut) out.append("...");
  return out;
}

}  // namespace tern::admin
