// Actions of rules and default actions: forward, redirect, fixed_response.
#include <chrono>

#include "config/parsers.hpp"
#include "config/text.hpp"

namespace tern::config {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

constexpr size_t kMaxWeightedGroups = 5;  // ALB's limit per forward action

std::optional<WeightedTargetGroup> read_weighted(Context& ctx, const Field& field) {
  MapReader map(ctx, field, "in target_groups entry", {"name", "weight"});
  if (!map.ok()) return std::nullopt;
  WeightedTargetGroup group{"", 1, field.mark};
  if (auto name = map.require("name")) {
    set(group.name, read_checked(ctx, *name, check_object_name));
    group.mark = name->mark;
  }
  if (auto weight = map.get("weight")) set(group.weight, read_int(ctx, *weight, 0, 999));
  return group;
}

void check_weighted(Context& ctx, const Field& field,
                    const std::vector<WeightedTargetGroup>& groups) {
  if (groups.empty() || groups.size() > kMaxWeightedGroups) {
    ctx.error(field.mark, "target_groups: " + std::to_string(groups.size()) +
                              " entries; expected 1.." + std::to_string(kMaxWeightedGroups));
  }
  int total = 0;
  for (size_t i = 0; i < groups.size(); ++i) {
    total += groups[i].weight;
    for (size_t j = 0; j < i; ++j) {
      if (groups[j].name == groups[i].name && !groups[i].name.empty()) {
        ctx.error(groups[i].mark, "target_groups: " + quote(groups[i].name) + " is listed twice");
      }
    }
  }
  if (!groups.empty() && total == 0) {
    ctx.error(field.mark, "target_groups: every weight is 0; expected at least one above 0");
  }
}

void read_target_groups(Context& ctx, const Field& field, ForwardAction& forward) {
  auto items = read_list(ctx, field);
  if (!items) return;
  for (const Field& item : *items) {
    if (auto group = read_weighted(ctx, item)) forward.target_groups.push_back(*group);
  }
  if (items->size() == forward.target_groups.size())
    check_weighted(ctx, field, forward.target_groups);
  if (items->size() > 1) ctx.use(Feature::kWeightedForward, field.key_mark);
}

void read_forward_stickiness(Context& ctx, const Field& field, ForwardAction& forward) {
  ctx.use(Feature::kForwardStickiness, field.key_mark);
  MapReader map(ctx, field, "in forward stickiness", {"enabled", "duration"});
  if (auto enabled = map.get("enabled")) set(forward.stickiness_enabled, read_bool(ctx, *enabled));
  if (auto duration = map.get("duration")) {
    set(forward.stickiness_duration, read_duration(ctx, *duration, seconds(1), hours(7 * 24)));
  }
}

ForwardAction parse_forward(Context& ctx, const Field& field) {
  MapReader map(ctx, field, "in forward", {"target_group", "target_groups", "stickiness"});
  ForwardAction forward;
  auto single = map.get("target_group");
  auto several = map.get("target_groups");
  if (map.ok() && single.has_value() == several.has_value()) {
    ctx.error(field.mark, "forward: expected exactly one of 'target_group' and 'target_groups'");
  }
  if (single) {
    if (auto name = read_checked(ctx, *single, check_object_name)) {
      forward.target_groups.push_back(WeightedTargetGroup{*name, 1, single->mark});
    }
  }
  if (several) read_target_groups(ctx, *several, forward);
  if (auto stickiness = map.get("stickiness")) read_forward_stickiness(ctx, *stickiness, forward);
  return forward;
}

}  // namespace

Action parse_action(Context& ctx, const Field& field) {
  MapReader map(ctx, field, "in " + field.key, {"forward", "redirect", "fixed_response"});
  Action action;
  action.mark = map.mark();
  auto forward = map.get("forward");
  auto redirect = map.get("redirect");
  auto fixed = map.get("fixed_response");
  const int count = int{forward.has_value()} + int{redirect.has_value()} + int{fixed.has_value()};
  if (map.ok() && count != 1) {
    ctx.error(field.mark,
              field.key + ": expected exactly one of 'forward', 'redirect' and 'fixed_response'");
  }
  if (fixed) {
    ctx.use(Feature::kFixedResponse, fixed->key_mark);
    action.type = Action::Type::kFixedResponse;
    action.fixed_response = parse_fixed_response(ctx, *fixed);
  }
  if (redirect) {
    ctx.use(Feature::kRedirect, redirect->key_mark);
    action.type = Action::Type::kRedirect;
    action.redirect = parse_redirect(ctx, *redirect);
  }
  if (forward) {
    action.type = Action::Type::kForward;
    action.forward = parse_forward(ctx, *forward);
  }
  return action;
}

}  // namespace tern::config
