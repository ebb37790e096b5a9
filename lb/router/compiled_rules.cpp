#include "lb/router/compiled_rules.hpp"

#include <algorithm>

namespace tern::router {
namespace {

Action compile_action(const config::Action& action, const CompiledRules::GroupResolver& resolve) {
  Action a;
  a.type = action.type;
  switch (action.type) {
    case config::Action::Type::kForward:
      a.forward = ForwardPlan::compile(action.forward);
      if (resolve) {
        for (TargetGroupRef& g : a.forward.groups) g.id = resolve(g.name);
      }
      break;
    case config::Action::Type::kRedirect:
      a.redirect = action.redirect;
      break;
    case config::Action::Type::kFixedResponse:
      a.fixed_response = {action.fixed_response.status_code, action.fixed_response.content_type,
                          action.fixed_response.message_body};
      break;
  }
  return a;
}

}  // namespace

CompileResult CompiledRules::compile(const config::Listener& listener,
                                     const GroupResolver& resolve) {
  return compile(listener.rules, listener.default_action, resolve);
}

CompileResult CompiledRules::compile(const std::vector<config::Rule>& rules,
                                     const config::Action& default_action,
                                     const GroupResolver& resolve) {
  std::vector<const config::Rule*> sorted;
  for (const config::Rule& rule : rules) sorted.push_back(&rule);
  std::stable_sort(sorted.begin(), sorted.end(), [](const config::Rule* a, const config::Rule* b) {
    return a->priority < b->priority;
  });
  CompileResult result;
  std::shared_ptr<CompiledRules> compiled(new CompiledRules());
  compiled->conditions_.reserve(sorted.size());
  compiled->routes_.reserve(sorted.size() + 1);
  for (const config::Rule* rule : sorted) {
    compiled->conditions_.push_back(RuleConditions::compile(rule->conditions, result.errors));
    Route route;
    route.index = compiled->routes_.size();
    route.priority = rule->priority;
    route.action = compile_action(rule->action, resolve);
    route.transforms = Transforms::compile(rule->transforms, result.errors);
    compiled->routes_.push_back(std::move(route));
  }
  Route fallback;
  fallback.index = compiled->routes_.size();
  fallback.is_default = true;
  fallback.action = compile_action(default_action, resolve);
  compiled->routes_.push_back(std::move(fallback));
  if (!result.errors.empty()) return result;
  compiled->index_ = RuleIndex::build(compiled->conditions_);
  result.rules = std::move(compiled);
  return result;
}

const Route& CompiledRules::match(const Request& request) const {
  const size_t r = index_.first_match(request, conditions_);
  return r == RuleIndex::kNoMatch ? routes_.back() : routes_[r];
}

const Route& CompiledRules::match_linear(const Request& request) const {
  for (size_t r = 0; r < conditions_.size(); ++r) {
    if (conditions_[r].matches(request)) return routes_[r];
  }
  return routes_.back();
}

}  // namespace tern::router
