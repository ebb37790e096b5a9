// The admin API's endpoints (spec/config.md, "Admin API") and the hooks through which they
// reach the live state. The composition root fills Handlers; add_routes() registers one
// route per endpoint. A new endpoint is one more hook here and one more router.add() line
// in routes.cpp, e.g.
//   router.add({"POST"}, "/v1/target-groups/{name}/targets", handlers.register_targets);
// (or AdminServer::router().add(...) from the composition root).
//
// Not registered yet (they answer 404): GET /metrics, POST and DELETE
// /v1/target-groups/{name}/targets, POST /v1/ecs/events.
//
// Thread affinity: the hooks are called on the control thread, one request at a time, so
// they may read the control thread's state without locks. Ownership: Handlers is copied
// into the routes.
#pragma once

#include <functional>
#include <vector>

#include "lb/admin/router.hpp"
#include "lb/admin/target_health_view.hpp"

namespace tern::admin {

struct Handlers {
  // Every target group with its targets' health, for GET /v1/target-groups. Unset: an
  // empty list.
  std::function<std::vector<TargetGroupView>()> target_groups;
};

// GET /healthz and GET /v1/target-groups (both answer HEAD too).
void add_routes(Router& router, const Handlers& handlers);

}  // namespace tern::admin
