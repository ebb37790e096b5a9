#include "lb/admin/target_health_view.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "lb/admin/json_text.hpp"

namespace tern::admin {

namespace json = boost::json;

namespace {

// boost::json::object keeps members in insertion order: the order below is the order on
// the wire, AWS's.
json::object target_json(const TargetHealthView& t) {
  json::object o;
  json::object target;
  target["Id"] = json_string(t.id);
  target["Port"] = t.port;
  o["Target"] = std::move(target);
  if (!t.health_check_port.empty()) o["HealthCheckPort"] = json_string(t.health_check_port);
  json::object health;
  health["State"] = json_string(t.state);
  if (!t.reason.empty()) health["Reason"] = json_string(t.reason);
  if (!t.description.empty()) health["Description"] = json_string(t.description);
  o["TargetHealth"] = std::move(health);
  return o;
}

json::object group_json(const TargetGroupView& g) {
  json::object o;
  o["TargetGroupName"] = json_string(g.name);
  o["LoadBalancingAlgorithm"] = json_string(g.load_balancing_algorithm);
  o["FailOpen"] = g.fail_open;
  json::array targets;
  targets.reserve(g.targets.size());
  for (const TargetHealthView& t : g.targets) targets.push_back(target_json(t));
  o["TargetHealthDescriptions"] = std::move(targets);
  return o;
}

}  // namespace

std::string target_groups_json(const std::vector<TargetGroupView>& groups) {
  json::array list;
  list.reserve(groups.size());
  for (const TargetGroupView& g : groups) list.push_back(group_json(g));
  json::object body;
  body["TargetGroups"] = std::move(list);
  return json::serialize(body);
}

}  // namespace tern::admin
