#include "lb/http/trace_id.hpp"

namespace tern::http {

namespace {

bool is_hex(std::string_view s) {
  for (char c : s) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!ok) return false;
  }
  return true;
}

bool valid_root(std::string_view v) {
  // 1-XXXXXXXX-XXXXXXXXXXXXXXXXXXXXXXXX
  return v.size() == 35 && v[0] == '1' && v[1] == '-' && v[10] == '-' && is_hex(v.substr(2, 8)) &&
         is_hex(v.substr(11, 24));
}

bool valid_field_char(char c) {
  return c > 0x20 && c < 0x7f && c != ';' && c != '=' && c != ',';
}

constexpr char kHex[] = "0123456789abcdef";

}  // namespace

bool is_valid_trace_id(std::string_view value) {
  if (value.empty() || value.size() > 256) return false;
  bool root = false;
  size_t i = 0;
  while (i <= value.size()) {
    size_t semi = value.find(';', i);
    if (semi == std::string_view::npos) semi = value.size();
    std::string_view field = value.substr(i, semi - i);
    size_t eq = field.find('=');
    if (eq == std::string_view::npos || eq == 0) return false;
    std::string_view key = field.substr(0, eq);
    std::string_view val = field.substr(eq + 1);
    for (char c : key) {
      if (!valid_field_char(c)) return false;
    }
    for (char c : val) {
      if (!valid_field_char(c)) return false;
    }
    if (key == "Root") {
      if (root || !valid_root(val)) return false;
      root = true;
    }
    i = semi + 1;
  }
  return root;
}

TraceIdGenerator::TraceIdGenerator(uint64_t seed) : state_(seed ? seed : 0x9e3779b97f4a7c15ULL) {}

uint64_t TraceIdGenerator::next_random() {
  // splitmix64: fast, good enough for unique ids (not for secrets).
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::string_view TraceIdGenerator::next(std::time_t now, char (&out)[41]) {
  static constexpr std::string_view kPrefix = "Root=1-";
  size_t p = 0;
  for (char c : kPrefix) out[p++] = c;
  auto secs = static_cast<uint32_t>(now);
  for (int shift = 28; shift >= 0; shift -= 4) out[p++] = kHex[(secs >> shift) & 0xf];
  out[p++] = '-';
  uint64_t a = next_random();
  uint64_t b = next_random();
  for (int shift = 60; shift >= 0; shift -= 4) out[p++] = kHex[(a >> shift) & 0xf];
  for (int shift = 28; shift >= 0; shift -= 4) out[p++] = kHex[(b >> shift) & 0xf];
  out[p] = '\0';
  return {out, p};
}

}  // namespace tern::http
