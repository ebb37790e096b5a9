#include "lb/admin/target_health_view.hpp"

#include "lb/admin/json.hpp"

namespace tern::admin {

namespace {

void write_target(JsonWriter& w, const TargetHealthView& t) {
  w.begin_object();
  w.key("Target").begin_object().member("Id", t.id).member("Port", t.port).end_object();
  if (!t.health_check_port.empty()) w.member("HealthCheckPort", t.health_check_port);
  w.key("TargetHealth").begin_object().member("State", t.state);
  if (!t.reason.empty()) w.member("Reason", t.reason);
  if (!t.description.empty()) w.member("Description", t.description);
  w.end_object();
  w.end_object();
}

}  // namespace

std::string target_groups_json(const std::vector<TargetGroupView>& groups) {
  JsonWriter w;
  w.begin_object().key("TargetGroups").begin_array();
  for (const TargetGroupView& g : groups) {
    w.begin_object()
        .member("TargetGroupName", g.name)
        .member("LoadBalancingAlgorithm", g.load_balancing_algorithm)
        .member("FailOpen", g.fail_open);
    w.key("TargetHealthDescriptions").begin_array();
    for (const TargetHealthView& t : g.targets) write_target(w, t);
    w.end_array().end_object();
  }
  w.end_array().end_object();
  return w.take();
}

}  // namespace tern::admin
