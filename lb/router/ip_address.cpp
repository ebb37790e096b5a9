#include "lb/router/ip_address.hpp"

#include <string>

#include "config/address.hpp"

namespace tern::router {
namespace {

constexpr std::array<uint8_t, 12> kV4MappedPrefix{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

}  // namespace

IpAddress IpAddress::v4(std::array<uint8_t, 4> octets) {
  IpAddress a;
  for (size_t i = 0; i < kV4MappedPrefix.size(); ++i) a.bytes[i] = kV4MappedPrefix[i];
  for (size_t i = 0; i < 4; ++i) a.bytes[12 + i] = octets[i];
  return a;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  auto bytes = config::ip_bytes(text);
  if (!bytes) return std::nullopt;
  return IpAddress{*bytes};
}

bool IpAddress::is_v4() const {
  for (size_t i = 0; i < kV4MappedPrefix.size(); ++i) {
    if (bytes[i] != kV4MappedPrefix[i]) return false;
  }
  return true;
}

std::optional<Cidr> Cidr::parse(std::string_view text) {
  if (config::check_cidr(text)) return std::nullopt;
  const size_t slash = text.find('/');
  Cidr cidr;
  const std::string_view host = text.substr(0, slash);
  auto address = IpAddress::parse(host);
  if (!address) return std::nullopt;
  cidr.network_ = *address;
  cidr.v4_ = config::is_ipv4_literal(host);
  int bits = 0;
  for (char c : text.substr(slash + 1)) bits = bits * 10 + (c - '0');
  cidr.prefix_bits_ = (cidr.v4_ ? 96 : 0) + bits;
  return cidr;
}

bool Cidr::contains(const IpAddress& address) const {
  if (address.is_v4() != v4_) return false;
  const int full = prefix_bits_ / 8;
  for (int i = 0; i < full; ++i) {
    if (address.bytes[i] != network_.bytes[i]) return false;
  }
  const int rest = prefix_bits_ % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<uint8_t>(0xff00u >> rest);
  return (address.bytes[full] & mask) == (network_.bytes[full] & mask);
}

}  // namespace tern::router
