// A listener's rules compiled for routing: the entry point of the router.
//
//   control thread, per snapshot (and for `tern --check`):
//     auto compiled = router::CompiledRules::compile(listener, resolve_group_id);
//     if (!compiled.errors.empty()) -> reject the config (FILE:LINE:COL: message each)
//     keep compiled.rules (shared_ptr<const CompiledRules>) in the listener's runtime
//   worker, per request (scratch and rewritten are per connection, reused):
//     if (prepare_request(head, base, {peer, listener_port, https}, scratch, request)
//         != PrepareStatus::kOk) -> 400
//     const Route& route = rules->match(request);
//     forward:        if (route.transforms.apply(request, rewritten) == kFailed) -> 500
//                     auto choice = route.action.forward.choose(request,
//                                       pick_counters[route.index], unix_now);
//                     group id = route.action.forward.groups[choice.group].id;
//                     send rewritten.target, and rewritten.host if host_rewritten;
//                     choice.set_cookie -> Set-Cookie: forward.set_cookie(
//                                       forward.cookie_value(choice.group, unix_now), false)
//     redirect:       build_redirect(route.action.redirect, request, location)
//                     (false -> 400); status route.action.redirect.status_code
//     fixed_response: route.action.fixed_response {status, content_type, body}
//
// Rules are evaluated by ascending priority, the first whose conditions all hold wins,
// the default action is last (spec/config.md, "rules"). match() finds that rule through
// RuleIndex without scanning every rule; match_linear() is the plain scan it must agree
// with (kept for the differential test and the benchmark).
//
// Thread affinity: built on the control thread, then immutable; match() is const and
// allocation-free (a query pair over 256 bytes is decoded on the heap), and every worker
// calls it concurrently. RE2 objects are safe to share, but each keeps a lazily built DFA
// cache behind a reader-writer lock: if regex-heavy listeners ever show contention across
// workers, compile one CompiledRules per worker (compile is pure). Ownership: CompiledRules owns
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
