#include "lb/router/normalize.hpp"

namespace tern::router {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";

// Appends the escape %<hi><lo> normalized (RFC 3986 §6.2.2): an unreserved character is
// decoded, anything else stays encoded with upper-case hex digits.
void append_escape(int hi, int lo, std::string& out) {
  const char decoded = static_cast<char>(hi * 16 + lo);
  if (is_unreserved(decoded)) {
    out.push_back(decoded);
  } else {
    out.push_back('%');
    out.push_back(kHex[hi]);
    out.push_back(kHex[lo]);
  }
}

// Appends one raw segment (between two '/') to `out`, percent-normalized. Returns false on
// an invalid escape.
bool append_segment(std::string_view raw, std::string& out) {
  for (size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c != '%') {
      out.push_back(c);
      continue;
    }
    if (i + 2 >= raw.size()) return false;  // needs two hex digits after '%'
    const int hi = hex_digit(raw[i + 1]);
    const int lo = hex_digit(raw[i + 2]);
    if (hi < 0 || lo < 0) return false;
    append_escape(hi, lo, out);
    i += 2;
  }
  return true;
}

// Removes the last segment of `out` ("/a/b" -> "/a", "/a/" -> "/a"). False when there is
// none: the path climbs above the root.
bool pop_segment(std::string& out) {
  if (out.empty()) return false;
  out.resize(out.rfind('/'));
  return true;
}

}  // namespace

bool is_unreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

PathStatus normalize_path(std::string_view path, std::string& out) {
  out.clear();
  if (path.empty() || path.front() != '/') return PathStatus::kNotAbsolute;
  // Most paths have no escape and no dot segment: nothing to do but copy.
  if (path.find('%') == std::string_view::npos && path.find("/.") == std::string_view::npos) {
    out.assign(path);
    return PathStatus::kOk;
  }
  // '/' is never produced by decoding ("%2F" stays encoded), so the raw '/' are the
  // segment boundaries of the normalized path too: one pass, segment by segment.
  size_t start = 1;
  while (true) {
    size_t end = path.find('/', start);
    const bool last = end == std::string_view::npos;
    if (last) end = path.size();
    const size_t before = out.size();
    out.push_back('/');
    if (!append_segment(path.substr(start, end - start), out)) return PathStatus::kInvalidEscape;
    const std::string_view segment = std::string_view(out).substr(before + 1);
    if (segment == "." || segment == "..") {
      const bool up = segment == "..";
      out.resize(before);
      if (up && !pop_segment(out)) return PathStatus::kAboveRoot;
      // A dot segment at the end leaves the directory: "/a/b/.." -> "/a/" (RFC 3986 §5.2.4).
      if (last) out.push_back('/');
    }
    if (last) break;
    start = end + 1;
  }
  return PathStatus::kOk;
}

HostPort split_host_port(std::string_view authority) {
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return {authority, {}};
    std::string_view rest = authority.substr(close + 1);
    return {authority.substr(0, close + 1),
            !rest.empty() && rest.front() == ':' ? rest.substr(1) : std::string_view{}};
  }
  const size_t colon = authority.rfind(':');
  if (colon == std::string_view::npos) return {authority, {}};
  return {authority.substr(0, colon), authority.substr(colon + 1)};
}

void normalize_host(std::string_view host, std::string& out) {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  // One copy, then lower-case in place: per-character push_back costs ~20 instructions
  // a character on the per-request path.
  out.assign(host);
  for (char& c : out) c = ascii_lower(c);
}

std::string normalize_escapes(std::string_view pattern) {
  std::string out;
  out.reserve(pattern.size());
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    const bool escape = c == '%' && i + 2 < pattern.size();
    const int hi = escape ? hex_digit(pattern[i + 1]) : -1;
    const int lo = escape ? hex_digit(pattern[i + 2]) : -1;
    if (c != '%' || hi < 0 || lo < 0) {
      out.push_back(c);
      continue;
    }
    append_escape(hi, lo, out);
    i += 2;
  }
  return out;
}

}  // namespace tern::router
