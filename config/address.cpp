#include "config/address.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

#include "config/text.hpp"
#include "config/units.hpp"

namespace tern::config {
namespace {

std::optional<uint32_t> parse_port(std::string_view text, std::string& error) {
  auto port = parse_unsigned(text);
  if (!port) {
    error = "invalid port " + quote(text);
    return std::nullopt;
  }
  if (*port > 65535) {
    error = "port " + std::string(text) + " is out of range";
    return std::nullopt;
  }
  return static_cast<uint32_t>(*port);
}

std::optional<HostPort> split_bracketed(std::string_view text, std::string& error) {
  const size_t close = text.find(']');
  if (close == std::string_view::npos) {
    error = "missing ']' after the IPv6 address";
    return std::nullopt;
  }
  HostPort out{std::string(text.substr(1, close - 1)), std::nullopt, true};
  if (!is_ipv6_literal(out.host)) {
    error = quote(out.host) + " is not an IPv6 address";
    return std::nullopt;
  }
  const std::string_view rest = text.substr(close + 1);
  if (rest.empty()) return out;
  if (rest.front() != ':') {
    error = "expected ':PORT' after ']'";
    return std::nullopt;
  }
  out.port = parse_port(rest.substr(1), error);
  if (!out.port) return std::nullopt;
  return out;
}

// Whether listening on `wildcard` also takes connections addressed to `other`: "" and
// "::" cover both families (a dual-stack socket), "0.0.0.0" covers IPv4.
bool covers(const std::string& wildcard, const std::string& other) {
  if (wildcard.empty()) return true;
  if (is_ipv6_literal(wildcard)) return ip_bytes(wildcard) == std::array<uint8_t, 16>{};
  return wildcard == "0.0.0.0" && is_ipv4_literal(other);
}

}  // namespace

std::optional<HostPort> split_host_port(std::string_view text, std::string& error) {
  if (text.empty()) {
    error = "the address is empty";
    return std::nullopt;
  }
  if (text.front() == '[') return split_bracketed(text, error);
  const size_t colons = static_cast<size_t>(std::count(text.begin(), text.end(), ':'));
  if (colons > 1) {
    if (is_ipv6_literal(text)) return HostPort{std::string(text), std::nullopt, true};
    error = "an IPv6 address with a port needs brackets, e.g. [2001:db8::1]:8080";
    return std::nullopt;
  }
  if (colons == 0) return HostPort{std::string(text), std::nullopt, false};
  const size_t colon = text.find(':');
  HostPort out{std::string(text.substr(0, colon)), std::nullopt, false};
  out.port = parse_port(text.substr(colon + 1), error);
  if (!out.port) return std::nullopt;
  return out;
}

bool is_ipv4_literal(std::string_view text) {
  const std::string copy(text);
  in_addr addr{};
  return inet_pton(AF_INET, copy.c_str(), &addr) == 1;
}

bool is_ipv6_literal(std::string_view text) {
  const std::string copy(text);
  in6_addr addr{};
  return inet_pton(AF_INET6, copy.c_str(), &addr) == 1;
}

bool is_dns_name(std::string_view text) {
  if (!text.empty() && text.back() == '.') text.remove_suffix(1);
  if (text.empty() || text.size() > 253) return false;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('.', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view label = text.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      const bool ok =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
      if (!ok) return false;
    }
    start = end + 1;
  }
  return true;
}

std::optional<std::array<uint8_t, 16>> ip_bytes(std::string_view host) {
  std::array<uint8_t, 16> out{};
  const std::string copy(host);
  in6_addr v6{};
  if (inet_pton(AF_INET6, copy.c_str(), &v6) == 1) {
    std::memcpy(out.data(), &v6, out.size());
    return out;
  }
  in_addr v4{};
  if (inet_pton(AF_INET, copy.c_str(), &v4) != 1) return std::nullopt;
  out[10] = 0xff;
  out[11] = 0xff;
  std::memcpy(out.data() + 12, &v4, 4);
  return out;
}

bool binds_overlap(const Address& a, const Address& b) {
  if (a.port == 0 || a.port != b.port) return false;
  if (covers(a.host, b.host) || covers(b.host, a.host)) return true;
  auto x = ip_bytes(a.host);
  auto y = ip_bytes(b.host);
  if (x && y) return *x == *y;
  return a.host == b.host;
}

std::optional<std::string> check_cidr(std::string_view text) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) return "missing '/PREFIX'";
  const std::string_view host = text.substr(0, slash);
  const bool v6 = is_ipv6_literal(host);
  if (!v6 && !is_ipv4_literal(host)) return quote(host) + " is not an IP address";
  auto prefix = parse_unsigned(text.substr(slash + 1));
  const uint64_t max_prefix = v6 ? 128 : 32;
  if (!prefix || *prefix > max_prefix) {
    return "prefix length " + quote(text.substr(slash + 1)) + " is not in 0.." +
           std::to_string(max_prefix);
  }
  auto bytes = ip_bytes(host);
  const size_t first_bit = (v6 ? 0 : 96) + *prefix;
  for (size_t bit = first_bit; bit < 128; ++bit) {
    if ((*bytes)[bit / 8] & (0x80u >> (bit % 8))) return "host bits are set after the prefix";
  }
  return std::nullopt;
}

}  // namespace tern::config
