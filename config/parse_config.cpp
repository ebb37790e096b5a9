// The top level of a config file and its small sections: workers, shutdown_timeout,
// fleet_key_file, admin, access_log, discovery. Listeners and target groups have their own files.
#include <chrono>

#include "config/parsers.hpp"
#include "config/text.hpp"

namespace tern::config {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

constexpr int64_t kMaxWorkers = 1024;

void read_workers(Context& ctx, const Field& field, Config& config) {
  if (field.value.IsScalar() && field.value.Scalar() == "auto") {
    config.workers = 0;
    return;
  }
  if (field.value.IsScalar() &&
      field.value.Scalar().find_first_not_of("-0123456789") != std::string::npos) {
    ctx.error(field.mark, "workers: invalid value " + quote(field.value.Scalar()) +
                              "; expected auto or an integer 1.." + std::to_string(kMaxWorkers));
    return;
  }
  set(config.workers, read_int(ctx, field, 1, kMaxWorkers));
}

Admin parse_admin(Context& ctx, const Field& field) {
  MapReader map(ctx, field, "in admin", {"bind", "token_file", "state_file"});
  Admin admin;
  admin.bind = Address{"127.0.0.1", 9901, false, "127.0.0.1:9901", map.mark()};
  admin.mark = map.mark();
  if (auto bind = map.get("bind")) set(admin.bind, read_bind(ctx, *bind));
  if (auto file = map.get("token_file")) {
    if (auto token = read_token_file(ctx, *file)) {
      admin.token_file = file->value.Scalar();
      admin.token = std::move(*token);
    }
  }
  if (auto state = map.get("state_file")) set(admin.state_file, read_state_file(ctx, *state));
  return admin;
}

AccessLog parse_access_log(Context& ctx, const Field& field) {
  MapReader map(ctx, field, "in access_log", {"path", "format"});
  AccessLog log;
  log.mark = map.mark();
  if (auto path = map.get("path")) set(log.path, read_name(ctx, *path));
  if (auto format = map.get("format")) {
    set(log.format,
        read_enum<AccessLogFormat>(
            ctx, *format, {{"json", AccessLogFormat::kJson}, {"alb", AccessLogFormat::kAlb}}));
  }
  return log;
}

SyntaxError check_region(std::string_view text) {
  if (text.empty() ||
      text.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string_view::npos) {
    return "expected an AWS region name such as us-east-1";
  }
  return std::nullopt;
}

SyntaxError check_endpoint(std::string_view text) {
  const bool http = text.substr(0, 7) == "http://" && text.size() > 7;
  const bool https = text.substr(0, 8) == "https://" && text.size() > 8;
  if (!http && !https) return "expected an http:// or https:// URL";
  return check_visible(text, 2048);
}

EcsDiscovery parse_ecs_discovery(Context& ctx, const Field& field) {
  MapReader map(ctx, field, "in discovery.ecs", {"region", "poll_interval", "endpoint"});
  EcsDiscovery ecs;
  ecs.mark = map.mark();
  if (auto region = map.require("region"))
    set(ecs.region, read_checked(ctx, *region, check_region));
  if (auto poll = map.get("poll_interval")) {
    set(ecs.poll_interval, read_duration(ctx, *poll, seconds(1), hours(1)));
  }
  if (auto endpoint = map.get("endpoint")) {
    set(ecs.endpoint, read_checked(ctx, *endpoint, check_endpoint));
  }
  if (ecs.endpoint.empty()) ecs.endpoint = "https://ecs." + ecs.region + ".amazonaws.com";
  return ecs;
}

std::optional<EcsDiscovery> parse_discovery(Context& ctx, const Field& field) {
  MapReader map(ctx, field, "in discovery", {"ecs"});
  if (auto ecs = map.get("ecs")) return parse_ecs_discovery(ctx, *ecs);
  return std::nullopt;
}

void read_sections(Context& ctx, const MapReader& map, Config& config) {
  if (auto admin = map.get("admin")) {
    ctx.use(Feature::kAdmin, admin->key_mark);
    config.admin = parse_admin(ctx, *admin);
  }
  if (auto log = map.get("access_log")) {
    ctx.use(Feature::kAccessLog, log->key_mark);
    config.access_log = parse_access_log(ctx, *log);
  }
  if (auto discovery = map.get("discovery")) {
    ctx.use(Feature::kDiscovery, discovery->key_mark);
    config.discovery_ecs = parse_discovery(ctx, *discovery);
  }
}

}  // namespace

Config parse_config(Context& ctx, const YAML::Node& root) {
  Config config;
  if (root.IsNull()) {
    ctx.error(Mark{1, 1}, "the file is empty; expected a map with 'listeners' and 'target_groups'");
    return config;
  }
  MapReader map(ctx, root_field(root), "at the top level",
                {"workers", "shutdown_timeout", "fleet_key_file", "admin", "access_log",
                 "listeners", "target_groups", "discovery"});
  if (!map.ok()) return config;
  if (auto workers = map.get("workers")) read_workers(ctx, *workers, config);
  if (auto timeout = map.get("shutdown_timeout")) {
    set(config.shutdown_timeout, read_duration(ctx, *timeout, seconds(0), hours(1)));
  }
  if (auto file = map.get("fleet_key_file")) {
    if (auto key = read_fleet_key_file(ctx, *file)) {
      config.fleet_key_file = file->value.Scalar();
      config.fleet_key = std::move(*key);
    }
  }
  read_sections(ctx, map, config);
  if (auto listeners = map.require("listeners")) {
    config.listeners = parse_listeners(ctx, *listeners);
  }
  if (auto groups = map.get("target_groups")) {
    config.target_groups = parse_target_groups(ctx, *groups);
  }
  return config;
}

}  // namespace tern::config
