#include "lb/admin/routes.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <utility>

#include "lb/admin/json_text.hpp"
#include "lb/admin/token.hpp"

namespace tern::admin {

namespace {

using TargetsHook = std::function<Response(std::string_view, std::vector<TargetAddress>)>;

Response not_available() {
  return error_response(501, "not available");
}

Response unknown_group(std::string_view name) {
  return error_response(404, "unknown target group " + json_quoted(name));
}

Response unauthorized(const Request& request) {
  Response r = error_response(401, request.header("authorization").empty()
                                       ? "this call needs \"Authorization: Bearer <token>\""
                                       : "Authorization does not carry the admin token");
  r.headers.emplace_back("WWW-Authenticate", "Bearer");
  return r;
}

// POST and DELETE /v1/target-groups/{name}/targets: the group, the body, then the hook.
Router::Handler targets_route(const Handlers& handlers, TargetsHook hook) {
  return [group_info = handlers.group_info, hook = std::move(hook)](const Request& request) {
    if (!group_info || !hook) return not_available();
    const std::string_view name = request.param("name");
    const std::optional<Handlers::GroupInfo> info = group_info(name);
    if (!info) return unknown_group(name);
    ParsedTargets parsed = parse_target_list(request.body, name, info->port);
    if (parsed.status != 0) return error_response(parsed.status, parsed.error);
    return hook(name, std::move(parsed.targets));
  };
}

Router::Handler group_route(const Handlers& handlers) {
  return [group = handlers.target_group](const Request& request) {
    if (!group) return not_available();
    const std::string_view name = request.param("name");
    std::optional<TargetGroupView> view = group(name);
    if (!view) return unknown_group(name);
    return json_response(200, target_groups_json({std::move(*view)}));
  };
}

}  // namespace

Router::Handler guarded(std::string token, Router::Handler handler) {
  if (token.empty()) return handler;
  return [token = std::move(token), handler = std::move(handler)](const Request& request) {
    if (!authorized(request.header("authorization"), token)) return unauthorized(request);
    return handler(request);
  };
}

void add_routes(Router& router, const Handlers& handlers) {
  // Calls that change state: behind the token, always.
  auto add_changing = [&](std::initializer_list<std::string_view> methods, std::string_view pattern,
                          Router::Handler handler) {
    router.add(methods, pattern, guarded(handlers.token, std::move(handler)));
  };
  // 200 while the process serves: container and systemd health checks (spec: Admin API).
  router.add({"GET"}, "/healthz", [](const Request&) {
    return json_response(200, boost::json::serialize(boost::json::object{{"status", "ok"}}));
  });
  router.add({"GET"}, "/v1/target-groups", [groups = handlers.target_groups](const Request&) {
    return json_response(200,
                         target_groups_json(groups ? groups() : std::vector<TargetGroupView>{}));
  });
  router.add({"GET"}, "/v1/target-groups/{name}", group_route(handlers));
  add_changing({"POST"}, "/v1/target-groups/{name}/targets",
               targets_route(handlers, handlers.register_targets));
  add_changing({"DELETE"}, "/v1/target-groups/{name}/targets",
               targets_route(handlers, handlers.deregister_targets));
}

}  // namespace tern::admin
