// Listeners: name, bind, protocol, TLS settings, limits, XFF mode, rules, default action.
#include <array>
#include <chrono>

#include "config/parsers.hpp"

namespace tern::config {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr uint64_t kKiB = 1024;
constexpr uint64_t kMiB = 1024 * 1024;

// ALB security policy names tern accepts; the TLS implementation maps them to settings.
constexpr std::array<std::string_view, 16> kSslPolicies{
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
    "ELBSecurityPolicy-TLS13-1-1-2021-06",
    "ELBSecurityPolicy-TLS13-1-0-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
    "ELBSecurityPolicy-TLS-1-2-2017-01",
    "ELBSecurityPolicy-TLS-1-1-2017-01",
    "ELBSecurityPolicy-2016-08",
    "ELBSecurityPolicy-2015-05",
    "ELBSecurityPolicy-FS-2018-06",
    "ELBSecurityPolicy-FS-1-2-2019-08",
    "ELBSecurityPolicy-FS-1-1-2019-08",
    "ELBSecurityPolicy-FS-1-2-Res-2020-10",
};

SyntaxError check_ssl_policy(std::string_view text) {
  for (std::string_view name : kSslPolicies) {
    if (text == name) return std::nullopt;
  }
  return "unknown policy; expected an ALB policy name such as " + std::string(kSslPolicies[0]) +
         " (see docs/config.md for the list)";
}

Limits parse_limits(Context& ctx, const Field& field) {
  MapReader map(ctx, field, "in limits",
                {"max_request_line", "max_header_bytes", "header_timeout", "max_body_bytes",
                 "max_connections"});
  Limits limits;
  if (auto f = map.get("max_request_line")) {
    set(limits.max_request_line, read_size(ctx, *f, 256, kMiB));
  }
  if (auto f = map.get("max_header_bytes")) {
    set(limits.max_header_bytes, read_size(ctx, *f, kKiB, kMiB));
  }
  if (auto f = map.get("header_timeout")) {
    set(limits.header_timeout, read_duration(ctx, *f, milliseconds(100), hours(1)));
  }
  if (auto f = map.get("max_body_bytes")) {
    set(limits.max_body_bytes, read_size(ctx, *f, 0, UINT64_MAX));
  }
  if (auto f = map.get("max_connections")) {
    set(limits.max_connections, read_int(ctx, *f, 0, 10'000'000));
  }
  return limits;
}

std::vector<Certificate> parse_certificates(Context& ctx, const Field& field) {
  std::vector<Certificate> certificates;
  auto items = read_list(ctx, field);
  if (!items) return certificates;
  if (items->empty()) ctx.error(field.mark, "certificates: expected at least one certificate");
  for (const Field& item : *items) {
    MapReader map(ctx, item, "in certificate", {"cert", "key"});
    Certificate certificate{"", "", item.mark};
    if (auto cert = map.require("cert")) set(certificate.cert, read_name(ctx, *cert));
    if (auto key = map.require("key")) set(certificate.key, read_name(ctx, *key));
    certificates.push_back(std::move(certificate));
  }
  return certificates;
}

void read_protocol(Context& ctx, const Field& field, Listener& listener) {
  set(listener.protocol,
      read_enum<Protocol>(ctx, field, {{"HTTP", Protocol::kHttp}, {"HTTPS", Protocol::kHttps}}));
  if (listener.protocol == Protocol::kHttps) ctx.use(Feature::kHttpsListener, field.key_mark);
}

void read_tls(Context& ctx, const MapReader& map, Listener& listener) {
  if (auto f = map.get("certificates")) {
    ctx.use(Feature::kCertificates, f->key_mark);
    listener.certificates = parse_certificates(ctx, *f);
  }
  if (auto f = map.get("ssl_policy")) {
    ctx.use(Feature::kSslPolicy, f->key_mark);
    set(listener.ssl_policy, read_checked(ctx, *f, check_ssl_policy));
  }
  auto protocol = map.get("protocol");
  if (protocol && listener.protocol == Protocol::kHttps && !map.has("certificates")) {
    ctx.error(protocol->mark, "protocol: HTTPS needs 'certificates' with at least one entry");
  }
}

void read_routing(Context& ctx, const MapReader& map, Listener& listener) {
  if (auto f = map.get("xff_header_processing")) {
    set(listener.xff_header_processing, read_enum<XffMode>(ctx, *f,
                                                           {{"append", XffMode::kAppend},
                                                            {"preserve", XffMode::kPreserve},
                                                            {"remove", XffMode::kRemove}}));
  }
  if (auto f = map.get("rules")) {
    ctx.use(Feature::kRules, f->key_mark);
    listener.rules = parse_rules(ctx, *f);
  }
  if (auto f = map.require("default_action")) listener.default_action = parse_action(ctx, *f);
}

Listener parse_listener(Context& ctx, const Field& field) {
  MapReader map(ctx, field, "in listener",
                {"name", "bind", "protocol", "idle_timeout", "certificates", "ssl_policy", "limits",
                 "xff_header_processing", "rules", "default_action"});
  Listener listener;
  listener.mark = map.mark();
  if (!map.ok()) return listener;
  if (auto f = map.require("name")) set(listener.name, read_checked(ctx, *f, check_object_name));
  if (auto f = map.require("bind")) set(listener.bind, read_bind(ctx, *f));
  if (auto f = map.get("protocol")) read_protocol(ctx, *f, listener);
  if (auto f = map.get("idle_timeout")) {
    set(listener.idle_timeout, read_duration(ctx, *f, seconds(1), seconds(4000)));
  }
  read_tls(ctx, map, listener);
  if (auto f = map.get("limits")) listener.limits = parse_limits(ctx, *f);
  ctx.listener = &listener;
  read_routing(ctx, map, listener);
  ctx.listener = nullptr;
  return listener;
}

}  // namespace

std::vector<Listener> parse_listeners(Context& ctx, const Field& field) {
  std::vector<Listener> listeners;
  auto items = read_list(ctx, field);
  if (!items) return listeners;
  if (items->empty()) ctx.error(field.mark, "listeners: expected at least one listener");
  for (const Field& item : *items) listeners.push_back(parse_listener(ctx, item));
  return listeners;
}

}  // namespace tern::config
