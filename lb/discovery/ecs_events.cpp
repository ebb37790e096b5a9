#include "lb/discovery/ecs_events.hpp"

#include <boost/json.hpp>

#include "lb/discovery/ecs_json.hpp"

namespace tern::discovery {
namespace {

namespace json = boost::json;

EcsEvent invalid(std::string error) {
  EcsEvent e;
  e.kind = EcsEvent::Kind::kInvalid;
  e.error = std::move(error);
  return e;
}

EcsEvent decode_event(const json::value& v, const std::string& where) {
  std::string error;
  const json::object* o = ecs_json::as_object(v, where.empty() ? "event" : where, error);
  if (o == nullptr) return invalid(error);
  const std::string at = where;
  EcsEvent event;
  if (error = ecs_json::read_string(*o, "detail-type", at, event.detail_type); !error.empty()) {
    return invalid(error);
  }
  if (event.detail_type != kEcsTaskStateChange) {
    event.kind = EcsEvent::Kind::kOtherType;
    return event;
  }
  std::string source;
  if (error = ecs_json::read_string(*o, "source", at, source); !error.empty()) {
    return invalid(error);
  }
  if (source != "aws.ecs") {
    return invalid((at.empty() ? "" : at + ".") + "source: \"" + source +
                   "\" is not aws.ecs for an ECS Task State Change");
  }
  const json::value* detail = o->if_contains("detail");
  const std::string detail_at = at.empty() ? "detail" : at + ".detail";
  if (detail == nullptr) return invalid(detail_at + ": missing");
  if (error = decode_ecs_task(*detail, detail_at, event.task); !error.empty()) {
    return invalid(error);
  }
  if (!event.task.version) return invalid(detail_at + ".version: missing");
  event.kind = EcsEvent::Kind::kTaskStateChange;
  return event;
}

}  // namespace

EcsEventBody decode_ecs_events(std::string_view body) {
  EcsEventBody out;
  json::value document;
  out.error = ecs_json::parse(body, kEcsMaxEventBodyBytes, kEcsMaxEventDepth, document);
  if (!out.error.empty()) return out;
  if (document.is_object()) {
    out.events.push_back(decode_event(document, ""));
    return out;
  }
  if (!document.is_array()) {
    out.error = "expected an event object or an array of events, got " +
                std::string(ecs_json::kind_name(document));
    return out;
  }
  const json::array& list = document.as_array();
  if (list.empty()) {
    out.error = "an empty array; expected at least one event";
    return out;
  }
  if (list.size() > kEcsMaxEventsPerBody) {
    out.error = std::to_string(list.size()) + " events; at most " +
                std::to_string(kEcsMaxEventsPerBody) + " per body";
    return out;
  }
  for (size_t i = 0; i < list.size(); ++i) {
    out.events.push_back(decode_event(list[i], "[" + std::to_string(i) + "]"));
  }
  return out;
}

bool ecs_cluster_matches(std::string_view cluster_arn, std::string_view cluster) {
  if (cluster.empty() || cluster_arn.empty()) return false;
  if (cluster_arn == cluster) return true;
  // arn:aws:ecs:<region>:<account>:cluster/<name>
  constexpr std::string_view kMarker = ":cluster/";
  const size_t at = cluster_arn.rfind(kMarker);
  return at != std::string_view::npos && cluster_arn.substr(at + kMarker.size()) == cluster;
}

std::vector<size_t> ecs_services_for_task(const EcsTask& task,
                                          std::span<const EcsServiceSpec> services) {
  std::vector<size_t> matches;
  constexpr std::string_view kPrefix = "service:";
  if (!task.group.starts_with(kPrefix)) return matches;
  const std::string_view service = std::string_view(task.group).substr(kPrefix.size());
  for (size_t i = 0; i < services.size(); ++i) {
    if (services[i].service == service &&
        ecs_cluster_matches(task.cluster_arn, services[i].cluster)) {
      matches.push_back(i);
    }
  }
  return matches;
}

}  // namespace tern::discovery
