// Pure parsing of network addresses as written in config files: HOST:PORT, [IPv6]:PORT,
// :PORT, IP literals, DNS names and CIDR blocks. No name resolution happens here.
//
// Thread affinity: none (pure functions). Ownership: values only.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.hpp"

namespace tern::config {

struct HostPort {
  std::string host;              // without brackets; empty for ":PORT"
  std::optional<uint32_t> port;  // absent when the text gives none; at most 65535
  bool ipv6 = false;             // host is an IPv6 literal
};

// Splits "HOST:PORT", "[V6]:PORT", ":PORT", "HOST", "[V6]" or a bare IPv6 literal.
// Checks the shape and the port range only, not what the host is. On failure returns
// nullopt and sets `error` to what is wrong.
std::optional<HostPort> split_host_port(std::string_view text, std::string& error);

bool is_ipv4_literal(std::string_view text);
bool is_ipv6_literal(std::string_view text);
// RFC 1123 host name: dot-separated labels of letters, digits and '-', 1..63 each,
// not starting or ending with '-', 253 characters at most, optional trailing dot.
bool is_dns_name(std::string_view text);

// 16 bytes of an IP literal (IPv4 as ::ffff:a.b.c.d) for comparisons; nullopt otherwise.
std::optional<std::array<uint8_t, 16>> ip_bytes(std::string_view host);

// True when two listen addresses would take the same socket: same non-zero port and the
// same host, or a wildcard host (empty, 0.0.0.0, ::) that covers the other.
bool binds_overlap(const Address& a, const Address& b);

// "10.0.0.0/8" or "2001:db8::/32"; nullopt when valid, else what is wrong.
std::optional<std::string> check_cidr(std::string_view text);

}  // namespace tern::config
