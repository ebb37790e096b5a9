#include "config/text.hpp"

#include <array>

namespace tern::config {
namespace {

constexpr size_t kMaxShown = 80;

void append_escaped(std::string& out, char c) {
  static constexpr std::array<char, 16> kHex{'0', '1', '2', '3', '4', '5', '6', '7',
                                             '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  const auto byte = static_cast<unsigned char>(c);
  if (c == '\'' || c == '\\') {
    out += '\\';
    out += c;
  } else if (byte < 0x20 || byte == 0x7f) {
    out += "\\x";
    out += kHex[byte >> 4];
    out += kHex[byte & 0xf];
  } else {
    out += c;  // printable ASCII, and UTF-8 bytes kept as they are
  }
}

}  // namespace

std::string quote(std::string_view text) {
  const bool cut = text.size() > kMaxShown;
  if (cut) text = text.substr(0, kMaxShown - 3);
  std::string out = "'";
  for (char c : text) append_escaped(out, c);
  if (cut) out += "...";
  out += '\'';
  return out;
}

}  // namespace tern::config
