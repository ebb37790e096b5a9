// Readers shared by several sections: checked strings, listen addresses, targets, ports.
#include <string>

#include "config/address.hpp"
#include "config/parsers.hpp"
#include "config/text.hpp"

namespace tern::config {
namespace {

constexpr std::string_view kBindSyntax = "HOST:PORT, [IPv6]:PORT or :PORT";
constexpr std::string_view kTargetSyntax = "IP:PORT, [IPv6]:PORT, HOST:PORT or a host alone";

std::optional<HostPort> split(Context& ctx, const Field& field, std::string_view syntax) {
  auto text = read_name(ctx, field);
  if (!text) return std::nullopt;
  std::string error;
  auto parts = split_host_port(*text, error);
  if (!parts) {
    ctx.error(field.mark, field.key + ": invalid address " + quote(*text) + ": " + error +
                              "; expected " + std::string(syntax));
  }
  return parts;
}

bool check_target_host(Context& ctx, const Field& field, const std::string& host) {
  if (is_ipv4_literal(host) || is_ipv6_literal(host) || is_dns_name(host)) return true;
  ctx.error(field.mark, field.key + ": " + quote(host) +
                            " is neither an IP address nor a host name; expected " +
                            std::string(kTargetSyntax));
  return false;
}

std::optional<TargetSpec> read_target_map(Context& ctx, const Field& field) {
  MapReader map(ctx, field, "in target", {"address", "port"});
  auto address = map.require("address");
  if (!address) return std::nullopt;
  auto parts = split(ctx, *address, kTargetSyntax);
  if (!parts) return std::nullopt;
  if (parts->port) {
    ctx.error(address->mark, "address: must not carry a port; expected the port in 'port'");
    return std::nullopt;
  }
  if (!check_target_host(ctx, *address, parts->host)) return std::nullopt;
  TargetSpec target{parts->host, 0, field.mark};
  if (auto port = map.get("port")) {
    auto number = read_port(ctx, *port);
    if (!number) return std::nullopt;
    target.port = *number;
  }
  return target;
}

}  // namespace

std::optional<std::string> read_checked(Context& ctx, const Field& field,
                                        SyntaxError (*check)(std::string_view)) {
  auto text = read_name(ctx, field);
  if (!text) return std::nullopt;
  if (auto error = check(*text)) {
    ctx.error(field.mark, field.key + ": invalid value " + quote(*text) + ": " + *error);
    return std::nullopt;
  }
  return text;
}

std::optional<uint16_t> read_port(Context& ctx, const Field& field) {
  auto port = read_int(ctx, field, 1, 65535);
  if (!port) return std::nullopt;
  return static_cast<uint16_t>(*port);
}

std::optional<Address> read_bind(Context& ctx, const Field& field) {
  auto parts = split(ctx, field, kBindSyntax);
  if (!parts) return std::nullopt;
  const std::string text = field.value.Scalar();
  if (!parts->port) {
    const std::string hint = parts->ipv6 ? "; an IPv6 address with a port needs brackets" : "";
    ctx.error(field.mark, field.key + ": " + quote(text) + " has no port" + hint + "; expected " +
                              std::string(kBindSyntax) + " (port 0 picks any free port)");
    return std::nullopt;
  }
  if (!parts->host.empty() && !parts->ipv6 && !is_ipv4_literal(parts->host)) {
    ctx.error(field.mark, field.key + ": " + quote(parts->host) +
                              " is not an IP address; expected an IP address such as "
                              "0.0.0.0, 127.0.0.1 or [::1], or :PORT for all interfaces");
    return std::nullopt;
  }
  return Address{parts->host, static_cast<uint16_t>(*parts->port), parts->ipv6, text, field.mark};
}

std::optional<TargetSpec> read_target(Context& ctx, const Field& field) {
  if (field.value.IsMap()) return read_target_map(ctx, field);
  auto parts = split(ctx, field, kTargetSyntax);
  if (!parts) return std::nullopt;
  if (parts->host.empty()) {
    ctx.error(field.mark, field.key + ": " + quote(field.value.Scalar()) +
                              " has no host; expected " + std::string(kTargetSyntax));
    return std::nullopt;
  }
  if (!check_target_host(ctx, field, parts->host)) return std::nullopt;
  if (parts->port && *parts->port == 0) {
    ctx.error(field.mark, field.key + ": port 0 is out of range; expected 1..65535");
    return std::nullopt;
  }
  return TargetSpec{parts->host, static_cast<uint16_t>(parts->port.value_or(0)), field.mark};
}

}  // namespace tern::config
