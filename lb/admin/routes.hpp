// The admin API's endpoints (spec/config.md, "Admin API") and the hooks through which they
// reach the live state. The composition root fills Handlers; add_routes() registers one
// route per endpoint:
//
//   GET    /healthz                          {"status":"ok"}
//   GET    /v1/target-groups                 every group (target_groups)
//   GET    /v1/target-groups/{name}          one group (target_group); 404 when unknown
//   POST   /v1/target-groups/{name}/targets  register (group_info, register_targets)
//   DELETE /v1/target-groups/{name}/targets  deregister (group_info, deregister_targets)
//
// GET routes answer HEAD too. A registration call runs: the token check (401), the group
// (404 when group_info does not know it), the body (parse_target_list: 400, 413), then the
// hook, which answers 200 with the group's listing or its own 4xx (409 for a target that
// is only in the file): applying the change is the composition root's business. A hook
// that is unset makes its route answer 501 {"error":"not available"}.
//
// Every call other than GET (and HEAD) changes state and goes through guarded(): with a
// non-empty token it needs "Authorization: Bearer <token>". A new endpoint is one more hook
// here and one more line in routes.cpp (add_changing() for one that changes state), or
// from the composition root:
//   admin.router().add({"POST"}, "/v1/ecs/events", admin::guarded(token, handler));
//
// Not registered yet (they answer 404): GET /metrics, POST /v1/ecs/events.
//
// Thread affinity: the hooks are called on the control thread, one request at a time, so
// they may read the control thread's state without locks. Ownership: Handlers is copied
// into the routes; the views a hook gets (group name) live only during the call.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lb/admin/router.hpp"
#include "lb/admin/target_health_view.hpp"
#include "lb/admin/target_list.hpp"

namespace tern::admin {

struct Handlers {
  // Every target group with its targets' health, for GET /v1/target-groups. Unset: an
  // empty list.
  std::function<std::vector<TargetGroupView>()> target_groups;
  // Non-empty: every call other than GET/HEAD needs "Authorization: Bearer <token>", else
  // 401 (admin.token_file; spec "Token").
  std::string token;
  // One group for GET /v1/target-groups/{name}; nullopt: unknown group (404).
  std::function<std::optional<TargetGroupView>(std::string_view name)> target_group;
  // What a registration needs to know of a group; nullopt: unknown group (404).
  struct GroupInfo {
    std::optional<uint16_t> port;  // the group's `port:`, default for entries without one
  };
  std::function<std::optional<GroupInfo>(std::string_view name)> group_info;
  // Apply a parsed, non-empty, duplicate-free list to the group (whole or nothing) and
  // answer: 200 with the group's listing, or a 4xx {"error": ...} that changed nothing.
  std::function<Response(std::string_view group, std::vector<TargetAddress> targets)>
      register_targets, deregister_targets;
};

// The routes listed above.
void add_routes(Router& router, const Handlers& handlers);

// `handler` behind the admin token: with a non-empty `token`, a request whose
// Authorization field is not "Bearer <token>" (token.hpp) gets 401 with
// "WWW-Authenticate: Bearer" (RFC 9110 §11.6.1) and `handler` is not called. With an empty
// token, `handler` itself.
Router::Handler guarded(std::string token, Router::Handler handler);

}  // namespace tern::admin
