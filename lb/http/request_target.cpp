#include "lb/http/request_target.hpp"

#include <array>

#include "lb/http/message_head.hpp"

namespace tern::http {

namespace {

// unreserved / sub-delims (RFC 3986 §2.2, §2.3); '%' starts a pct-encoding. A table:
// every request's Host goes through here, and a chain of comparisons per character
// cost ~20 instructions.
constexpr std::array<bool, 256> kRegNameChar = [] {
  std::array<bool, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<size_t>(c)] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<size_t>(c)] = true;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<size_t>(c)] = true;
  for (char c : std::string_view("-._~!$&'()*+,;=")) t[static_cast<unsigned char>(c)] = true;
  return t;
}();

bool is_reg_name_char(char c) {
  return kRegNameChar[static_cast<unsigned char>(c)];
}

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool valid_reg_name(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size() || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) return false;
      i += 2;
    } else if (!is_reg_name_char(s[i])) {
      return false;
    }
  }
  return true;
}

bool valid_ip_literal(std::string_view s) {
  // "[" ( IPv6address / IPvFuture ) "]": hex digits, ':' and '.', or "v..." futures.
  if (s.size() < 3 || s.front() != '[' || s.back() != ']') return false;
  for (char c : s.substr(1, s.size() - 2)) {
    if (!is_hex(c) && c != ':' && c != '.' && c != 'v' && c != 'V') return false;
  }
  return true;
}

bool valid_port(std::string_view p) {
  if (p.size() > 5) return false;
  unsigned v = 0;
  for (char c : p) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  return v <= 65535;
}

}  // namespace

bool is_valid_host(std::string_view host) {
  if (host.empty()) return true;
  std::string_view name = host;
  size_t colon = host.rfind(':');
  size_t bracket = host.rfind(']');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    if (!valid_port(host.substr(colon + 1))) return false;
    name = host.substr(0, colon);
  }
  if (!name.empty() && name.front() == '[') return valid_ip_literal(name);
  return !name.empty() && valid_reg_name(name);
}

RequestTarget parse_request_target(std::string_view target) {
  RequestTarget out;
  if (!target.empty() && target.front() == '/') {
    out.form = RequestTarget::Form::kOrigin;
    out.path = target;
    return out;
  }
  if (target == "*") {
    out.form = RequestTarget::Form::kAsterisk;
    out.path = target;
    return out;
  }
  size_t scheme_end = target.find("://");
  if (scheme_end == std::string_view::npos) return out;
  std::string_view scheme = target.substr(0, scheme_end);
  if (!iequals(scheme, "http") && !iequals(scheme, "https")) return out;
  std::string_view rest = target.substr(scheme_end + 3);
  size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end == std::string_view::npos ? rest.size() : end);
  // userinfo ("user@host") is deprecated and a classic way to confuse host checks.
  if (authority.empty() || authority.find('@') != std::string_view::npos ||
      !is_valid_host(authority)) {
    return out;
  }
  out.form = RequestTarget::Form::kAbsolute;
  out.authority = authority;
  out.path = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  if (!out.path.empty() && out.path.front() == '#') return RequestTarget{};
  return out;
}

}  // namespace tern::http
