// Client addresses and CIDR blocks for the source_ip condition. Both families live in one
// 16-byte form, IPv4 as the v4-mapped IPv6 address ::ffff:a.b.c.d (RFC 4291 §2.5.5.2), so a
// dual-stack socket's peer "::ffff:10.1.2.3" and a plain IPv4 peer "10.1.2.3" are the same
// address and both match "10.0.0.0/8".
//
// Thread affinity: none (values, pure functions). Ownership: values.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tern::router {

struct IpAddress {
  std::array<uint8_t, 16> bytes{};  // network order; IPv4 as ::ffff:a.b.c.d

  static IpAddress v4(std::array<uint8_t, 4> octets);
  static IpAddress v6(const std::array<uint8_t, 16>& bytes) { return IpAddress{bytes}; }
  // "10.1.2.3", "2001:db8::1", "::ffff:10.1.2.3"; nullopt for anything else.
  static std::optional<IpAddress> parse(std::string_view text);

  bool is_v4() const;  // an IPv4 address (or a v4-mapped IPv6 one)
  bool operator==(const IpAddress&) const = default;
};

// "10.0.0.0/8" or "2001:db8::/32". An IPv4 block matches IPv4 (and v4-mapped) peers only;
// an IPv6 block matches native IPv6 peers only, so "::/0" does not swallow IPv4 clients.
class Cidr {
 public:
  static std::optional<Cidr> parse(std::string_view text);
  bool contains(const IpAddress& address) const;

 private:
  IpAddress network_;
  int prefix_bits_ = 0;  // over the 16-byte form: an IPv4 /8 is 96 + 8
  bool v4_ = false;
};

}  // namespace tern::router
