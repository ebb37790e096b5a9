// Target groups: name, protocol, traffic port, algorithm, draining, slow start, static
// targets and the ECS service whose tasks become targets.
#include <chrono>

#include "config/parsers.hpp"
#include "config/text.hpp"

namespace tern::config {
namespace {

using std::chrono::seconds;

SyntaxError check_ecs_name(std::string_view text) {
  return check_visible(text, 1600);
}
SyntaxError check_container(std::string_view text) {
  return check_visible(text, 255);
}

EcsService parse_ecs(Context& ctx, const Field& field) {
  MapReader map(ctx, field, "in ecs", {"cluster", "service", "container_name", "container_port"});
  EcsService ecs;
  ecs.mark = map.mark();
  if (auto f = map.require("cluster")) set(ecs.cluster, read_checked(ctx, *f, check_ecs_name));
  if (auto f = map.require("service")) set(ecs.service, read_checked(ctx, *f, check_ecs_name));
  if (auto f = map.require("container_name")) {
    set(ecs.container_name, read_checked(ctx, *f, check_container));
  }
  if (auto f = map.require("container_port")) set(ecs.container_port, read_port(ctx, *f));
  return ecs;
}

// Targets need a port from themselves or from the group; the same one twice is a mistake.
// `need_port` is false when the group's own port was invalid (already reported).
void check_targets(Context& ctx, const TargetGroup& group, bool need_port) {
  for (size_t i = 0; i < group.targets.size(); ++i) {
    const TargetSpec& target = group.targets[i];
    const uint16_t port = target.port != 0 ? target.port : group.port.value_or(0);
    if (port == 0 && need_port) {
      ctx.error(target.mark, "targets: " + quote(target.host) +
                                 " has no port and the target group sets no 'port'; expected "
                                 "HOST:PORT or a 'port' on the target group");
    }
    for (size_t j = 0; j < i; ++j) {
      const TargetSpec& other = group.targets[j];
      const uint16_t other_port = other.port != 0 ? other.port : group.port.value_or(0);
      if (port != 0 && other.host == target.host && other_port == port) {
        ctx.error(target.mark, "targets: " + target.host + ":" + std::to_string(port) +
                                   " is listed twice (first at line " +
                                   std::to_string(other.mark.line) + ", column " +
                                   std::to_string(other.mark.column) + ")");
        break;
      }
    }
  }
}

std::vector<TargetSpec> parse_targets(Context& ctx, const Field& field) {
  std::vector<TargetSpec> targets;
  auto items = read_list(ctx, field);
  if (!items) return targets;
  for (const Field& item : *items) {
    if (auto target = read_target(ctx, item)) targets.push_back(*target);
  }
  return targets;
}

void read_protocol_and_algorithm(Context& ctx, const MapReader& map, TargetGroup& group) {
  if (auto f = map.get("protocol")) {
    set(group.protocol,
        read_enum<Protocol>(ctx, *f, {{"HTTP", Protocol::kHttp}, {"HTTPS", Protocol::kHttps}}));
    if (group.protocol == Protocol::kHttps) ctx.use(Feature::kHttpsTargetGroup, f->key_mark);
  }
  if (auto f = map.get("load_balancing_algorithm")) {
    set(group.load_balancing_algorithm,
        read_enum<Algorithm>(ctx, *f,
                             {{"round_robin", Algorithm::kRoundRobin},
                              {"least_outstanding_requests", Algorithm::kLeastOutstandingRequests},
                              {"weighted_random", Algorithm::kWeightedRandom}}));
    if (group.load_balancing_algorithm == Algorithm::kLeastOutstandingRequests) {
      ctx.use(Feature::kLeastOutstandingRequests, f->key_mark);
    }
    if (group.load_balancing_algorithm == Algorithm::kWeightedRandom) {
      ctx.use(Feature::kWeightedRandom, f->key_mark);
    }
  }
}

void read_slow_start(Context& ctx, const Field& field, TargetGroup& group) {
  ctx.use(Feature::kSlowStart, field.key_mark);
  constexpr std::string_view kRange = "0s (off) or 30s..900s";
  auto value = read_duration(ctx, field, seconds(0), seconds(900), kRange);
  if (value && *value != seconds(0) && *value < seconds(30)) {
    ctx.error(field.mark, "slow_start: " + field.value.Scalar() + " is out of range; expected " +
                              std::string(kRange));
    return;
  }
  set(group.slow_start, value);
}

void read_timing(Context& ctx, const MapReader& map, TargetGroup& group) {
  if (auto f = map.get("deregistration_delay")) {
    ctx.use(Feature::kDeregistrationDelay, f->key_mark);
    set(group.deregistration_delay, read_duration(ctx, *f, seconds(0), seconds(3600)));
  }
  if (auto f = map.get("slow_start")) {
    read_slow_start(ctx, *f, group);
    if (group.slow_start.count() > 0 &&
        group.load_balancing_algorithm == Algorithm::kWeightedRandom) {
      ctx.error(f->key_mark,
                "slow_start: not available with load_balancing_algorithm: weighted_random (as "
                "in ALB); use round_robin or least_outstanding_requests, or slow_start: 0");
    }
  }
}

void read_members(Context& ctx, const MapReader& map, TargetGroup& group) {
  if (auto f = map.get("stickiness")) {
    ctx.use(Feature::kTargetGroupStickiness, f->key_mark);
    group.stickiness = parse_stickiness(ctx, *f);
  }
  if (auto f = map.get("health_check")) {
    ctx.use(Feature::kHealthCheck, f->key_mark);
    group.health_check = parse_health_check(ctx, *f);
  }
  if (auto f = map.get("outlier_detection")) {
    group.outlier_detection = parse_outlier_detection(ctx, *f);
  }
  if (auto f = map.get("targets")) group.targets = parse_targets(ctx, *f);
  if (auto f = map.get("ecs")) {
    ctx.use(Feature::kEcsTargets, f->key_mark);
    group.ecs = parse_ecs(ctx, *f);
  }
}

TargetGroup parse_target_group(Context& ctx, const Field& field) {
  MapReader map(
      ctx, field, "in target group",
      {"name", "protocol", "port", "load_balancing_algorithm", "deregistration_delay", "slow_start",
       "stickiness", "health_check", "outlier_detection", "targets", "ecs"});
  TargetGroup group;
  group.mark = map.mark();
  if (!map.ok()) return group;
  if (auto f = map.require("name")) set(group.name, read_checked(ctx, *f, check_object_name));
  read_protocol_and_algorithm(ctx, map, group);
  if (auto f = map.get("port")) group.port = read_port(ctx, *f);
  read_timing(ctx, map, group);
  read_members(ctx, map, group);
  check_targets(ctx, group, group.port.has_value() || !map.has("port"));
  return group;
}

}  // namespace

std::vector<TargetGroup> parse_target_groups(Context& ctx, const Field& field) {
  std::vector<TargetGroup> groups;
  auto items = read_list(ctx, field);
  if (!items) return groups;
  for (const Field& item : *items) groups.push_back(parse_target_group(ctx, item));
  return groups;
}

}  // namespace tern::config
