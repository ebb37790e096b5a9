// A listener's rules compiled for routing: the entry point of the router.
//
//   control thread, per snapshot:
//     auto compiled = router::CompiledRules::compile(listener, resolve_group);
//     if (!compiled.errors.empty()) -> reject the config (FILE:LINE:COL: message each)
//     keep compiled.rules (shared_ptr<const CompiledRules>) in the listener's runtime
//   worker, per request:
//     router::prepare_request(head, base, connection, scratch, request) -> 400 if bad
//     const router::Route& route = rules.match(request);
//     switch (route.action.type) { forward / redirect / fixed_response } (see actions.hpp)
//
// Rules are evaluated by ascending priority, the first whose conditions all hold wins,
// the default action is last (spec/config.md, "rules"). match() finds that rule through
// RuleIndex without scanning every rule; match_linear() is the plain scan it must agree
// with (kept for the differential test and the benchmark).
//
// Thread affinity: built on the control thread, then immutable; match() is const and
// allocation-free, and every worker calls it concurrently. Ownership: CompiledRules owns
// all compiled conditions, regexes and actions; it is held by shared_ptr<const> in the
// snapshot. Routes and everything reachable from them live as long as it does.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "lb/router/actions.hpp"
#include "lb/router/compile_error.hpp"
#include "lb/router/request.hpp"
#include "lb/router/rule_conditions.hpp"
#include "lb/router/rule_index.hpp"
#include "lb/router/transforms.hpp"

namespace tern::router {

// One rule (or the default action) as the proxy uses it.
struct Route {
  size_t index = 0;  // 0..size()-1: rules by ascending priority, then the default action;
                     // use it to keep per-worker per-route state (weighted pick counters)
  int priority = 0;  // the rule's priority; 0 for the default action
  bool is_default = false;
  Action action;
  Transforms transforms;  // empty for the default action (ALB: none on default rules)
};

class CompiledRules;

struct CompileResult {
  std::shared_ptr<const CompiledRules> rules;  // null when there are errors
  std::vector<CompileError> errors;
};

class CompiledRules {
 public:
  // Maps a target group name to the caller's id for it (e.g. its position in the
  // snapshot's target group list); stored in TargetGroupRef::id so that the proxy does
  // not look names up per request. May be empty: ids stay UINT32_MAX.
  using GroupResolver = std::function<uint32_t(std::string_view name)>;

  // Compiles listener.rules (any order; sorted here by priority) and
  // listener.default_action. Errors (invalid regexes, rewrites naming missing groups)
  // carry the mark of the value at fault.
  static CompileResult compile(const config::Listener& listener, const GroupResolver& resolve = {});
  static CompileResult compile(const std::vector<config::Rule>& rules,
                               const config::Action& default_action,
                               const GroupResolver& resolve = {});

  // The route of the first rule that matches, else the default route. Never fails.
  const Route& match(const Request& request) const;
  // The same answer by checking every rule in order (reference implementation).
  const Route& match_linear(const Request& request) const;

  std::span<const Route> routes() const { return routes_; }
  size_t size() const { return routes_.size(); }  // rules + 1
  const Route& default_route() const { return routes_.back(); }
  RuleIndex::Stats index_stats() const { return index_.stats(); }

  CompiledRules(const CompiledRules&) = delete;
  CompiledRules& operator=(const CompiledRules&) = delete;

 private:
  CompiledRules() = default;

  std::vector<RuleConditions> conditions_;  // one per rule, by ascending priority
  std::vector<Route> routes_;               // conditions_.size() + 1 (default last)
  RuleIndex index_;
};

}  // namespace tern::router
