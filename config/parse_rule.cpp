// Listener rules: priority, conditions, transforms (URL and host rewrites), action.
#include "config/parsers.hpp"

namespace tern::config {
namespace {

std::optional<Rewrite> parse_rewrite(Context& ctx, const Field& field) {
  MapReader map(ctx, field, "in " + field.key, {"regex", "replace"});
  Rewrite rewrite{"", "", field.mark};
  if (!map.ok()) return std::nullopt;
  // RE2 syntax is checked where the regex is compiled (the router): config has no RE2.
  if (auto regex = map.require("regex")) set(rewrite.regex, read_name(ctx, *regex));
  if (auto replace = map.require("replace")) set(rewrite.replace, read_name(ctx, *replace));
  return rewrite;
}

Transforms parse_transforms(Context& ctx, const Field& field) {
  MapReader map(ctx, field, "in transforms", {"url_rewrite", "host_header_rewrite"});
  Transforms transforms;
  if (auto url = map.get("url_rewrite")) transforms.url_rewrite = parse_rewrite(ctx, *url);
  if (auto host = map.get("host_header_rewrite")) {
    transforms.host_header_rewrite = parse_rewrite(ctx, *host);
  }
  return transforms;
}

Rule parse_rule(Context& ctx, const Field& field) {
  MapReader map(ctx, field, "in rule", {"priority", "conditions", "transforms", "action"});
  Rule rule;
  rule.mark = map.mark();
  if (!map.ok()) return rule;
  if (auto priority = map.require("priority"))
    set(rule.priority, read_int(ctx, *priority, 1, 50000));
  if (auto conditions = map.require("conditions")) {
    rule.conditions = parse_conditions(ctx, *conditions);
  }
  if (auto transforms = map.get("transforms")) {
    ctx.use(Feature::kTransforms, transforms->key_mark);
    rule.transforms = parse_transforms(ctx, *transforms);
  }
  if (auto action = map.require("action")) rule.action = parse_action(ctx, *action);
  return rule;
}

}  // namespace

std::vector<Rule> parse_rules(Context& ctx, const Field& field) {
  std::vector<Rule> rules;
  auto items = read_list(ctx, field);
  if (!items) return rules;
  for (const Field& item : *items) rules.push_back(parse_rule(ctx, item));
  return rules;
}

}  // namespace tern::config
