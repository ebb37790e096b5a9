// Normalization of what rules look at: the request path (RFC 3986 §6.2.2) and the host
// (spec/config.md, "Matching, exactly"), plus the percent-encoding normalization that
// path patterns get so that a pattern and a path written differently compare equal.
//
// Thread affinity: none (pure functions, no I/O). Ownership: output goes into
// caller-owned strings whose capacity is reused across requests (no allocation in steady
// state); returned views point into the input.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tern::router {

enum class PathStatus : uint8_t {
  kOk,
  kInvalidEscape,  // '%' not followed by two hex digits -> 400
  kAboveRoot,      // a ".." segment climbs above "/" -> 400
  kNotAbsolute,    // does not start with '/' -> 400
};

// Normalizes an absolute path (no query; the caller splits at the first '?'):
//  - percent-encoded unreserved characters (ALPHA DIGIT - . _ ~, RFC 3986 §2.3) are
//    decoded, every other escape is kept with upper-case hex digits (§6.2.2.1, §6.2.2.2),
//    so "%2F" stays "%2F" and "%2f" becomes "%2F";
//  - "." and ".." segments are removed (§5.2.4), after decoding, so "/%2e%2e/" counts;
//    a ".." with nothing left to remove is kAboveRoot instead of being clamped, since
//    such a path is an attempt to escape the root, not a URL a browser produces;
//  - empty segments ("//") are kept, as RFC 3986 does.
// `out` is cleared first; on failure its content is unspecified.
PathStatus normalize_path(std::string_view path, std::string& out);

// Host and port of a Host value or an absolute-form authority: "h:80" -> {"h", "80"},
// "[::1]:80" -> {"[::1]", "80"} (brackets kept: the IPv6 literal is what a Location needs),
// "h" -> {"h", ""}. No validation (the proxy checked the value, RFC 9110 §7.2).
struct HostPort {
  std::string_view host;
  std::string_view port;
};
HostPort split_host_port(std::string_view authority);

// The host rules see: lower-cased, without one trailing dot ("Example.COM." ->
// "example.com"). `host` is the part without the port (split_host_port).
void normalize_host(std::string_view host, std::string& out);

// Percent-encoding normalization of a path pattern: unreserved escapes decoded, other
// escapes upper-cased, an invalid '%' kept as it is (it then matches nothing, since a
// normalized path has no bare '%').
std::string normalize_escapes(std::string_view pattern);

// Small helpers shared by the matchers.
inline char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}
inline int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
bool is_unreserved(char c);

}  // namespace tern::router
