#include "lb/admin/routes.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace tern::admin {

void add_routes(Router& router, const Handlers& handlers) {
  // 200 while the process serves: container and systemd health checks (spec: Admin API).
  router.add({"GET"}, "/healthz", [](const Request&) {
    return json_response(200, boost::json::serialize(boost::json::object{{"status", "ok"}}));
  });
  router.add({"GET"}, "/v1/target-groups", [groups = handlers.target_groups](const Request&) {
    return json_response(200,
                         target_groups_json(groups ? groups() : std::vector<TargetGroupView>{}));
  });
}

}  // namespace tern::admin
