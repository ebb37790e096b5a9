// Checks that span sections: unique names and priorities, distinct listen addresses,
// forward actions naming existing target groups. Sorts rules by priority.
#include <algorithm>
#include <set>

#include "config/address.hpp"
#include "config/parsers.hpp"
#include "config/text.hpp"

namespace tern::config {
namespace {

std::string line_of(Mark mark) {
  return "line " + std::to_string(mark.line);
}

template <class T>
void check_unique_names(Context& ctx, const std::vector<T>& items, std::string_view kind) {
  for (size_t i = 0; i < items.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (!items[i].name.empty() && items[i].name == items[j].name) {
        ctx.error(items[i].mark, std::string(kind) + " name " + quote(items[i].name) +
                                     " is already used at " + line_of(items[j].mark) +
                                     "; expected unique names");
        break;
      }
    }
  }
}

void check_bind_pair(Context& ctx, const Address& later, const Address& earlier,
                     const std::string& owner) {
  if (later.text.empty() || earlier.text.empty() || !binds_overlap(later, earlier)) return;
  ctx.error(later.mark, "bind: " + later.text + " overlaps " + earlier.text + " of " + owner +
                            " at " + line_of(earlier.mark) + "; expected distinct addresses");
}

void check_binds(Context& ctx, const Config& config) {
  const auto& listeners = config.listeners;
  for (size_t i = 0; i < listeners.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      check_bind_pair(ctx, listeners[i].bind, listeners[j].bind,
                      "listener " + quote(listeners[j].name));
    }
    if (config.admin) check_bind_pair(ctx, listeners[i].bind, config.admin->bind, "admin");
  }
}

void check_forward(Context& ctx, const Action& action, const std::set<std::string>& groups) {
  if (action.type != Action::Type::kForward) return;
  for (const WeightedTargetGroup& group : action.forward.target_groups) {
    if (group.name.empty() || groups.count(group.name) != 0) continue;
    std::vector<std::string_view> names(groups.begin(), groups.end());
    ctx.error(group.mark,
              "target group " + quote(group.name) + " does not exist; expected " +
                  (names.empty() ? std::string("a target group defined in target_groups")
                                 : "one of: " + join(names)));
  }
}

void check_rules(Context& ctx, Listener& listener, const std::set<std::string>& groups) {
  auto& rules = listener.rules;
  for (size_t i = 0; i < rules.size(); ++i) {
    check_forward(ctx, rules[i].action, groups);
    for (size_t j = 0; j < i; ++j) {
      if (rules[i].priority != 0 && rules[i].priority == rules[j].priority) {
        ctx.error(rules[i].mark, "priority: " + std::to_string(rules[i].priority) +
                                     " is already used at " + line_of(rules[j].mark) +
                                     "; expected unique priorities within a listener");
        break;
      }
    }
  }
  std::stable_sort(rules.begin(), rules.end(),
                   [](const Rule& a, const Rule& b) { return a.priority < b.priority; });
}

}  // namespace

void validate(Context& ctx, Config& config) {
  check_unique_names(ctx, config.listeners, "listener");
  check_unique_names(ctx, config.target_groups, "target group");
  check_binds(ctx, config);
  std::set<std::string> groups;
  for (const TargetGroup& group : config.target_groups) groups.insert(group.name);
  groups.erase("");
  for (Listener& listener : config.listeners) {
    check_forward(ctx, listener.default_action, groups);
    check_rules(ctx, listener, groups);
  }
}

}  // namespace tern::config
