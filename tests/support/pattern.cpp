#include "tests/support/pattern.hpp"

#include <vector>

#include "tests/support/sha256.hpp"

namespace tern::test {

void fill_pattern(uint64_t offset, char* out, size_t size) {
  // Printable-ish bytes with a long period; mixing in the high bits makes a shifted or
  // duplicated block detectable by the hash.
  for (size_t i = 0; i < size; ++i) {
    const uint64_t p = offset + i;
    out[i] = static_cast<char>(static_cast<uint8_t>((p * 31U) ^ (p >> 9) ^ (p >> 17)));
  }
}

std::string pattern_string(uint64_t size) {
  std::string s(size, '\0');
  fill_pattern(0, s.data(), s.size());
  return s;
}

std::string pattern_sha256(uint64_t size) {
  Sha256 h;
  std::vector<char> buf(256 * 1024);
  for (uint64_t off = 0; off < size;) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(buf.size(), size - off));
    fill_pattern(off, buf.data(), n);
    h.update(buf.data(), n);
    off += n;
  }
  return h.hex_digest();
}

}  // namespace tern::test
