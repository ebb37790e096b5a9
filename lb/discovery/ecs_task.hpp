// An ECS task as tern needs it, and its decoding from the JSON `Task` shape shared by the
// DescribeTasks answer (`tasks[]`) and the EventBridge "ECS Task State Change" event
// (`detail`) (spec/alb-reference.md §10.3, §10.4). Only the fields the target rule and the
// version order use are kept; unknown keys are ignored (AWS adds fields), a known key of
// the wrong type is an error naming it.
//
// The ENI address comes from `attachments[]` of type `ElasticNetworkInterface`
// (DescribeTasks) or `eni` (events), detail `privateIPv4Address`; the containers'
// `networkInterfaces[].privateIpv4Address` are kept as well (the rule falls back to them).
//
// Thread affinity: none (pure functions). Ownership: values only.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tern::discovery {

struct EcsContainer {
  std::string name;
  std::string last_status;                   // "" when absent
  std::optional<std::string> health_status;  // HEALTHY, UNHEALTHY, UNKNOWN; absent = no check
  std::vector<std::string> private_ipv4s;    // networkInterfaces[].privateIpv4Address

  bool operator==(const EcsContainer&) const = default;
};

struct EcsTask {
  std::string task_arn;            // required
  std::string cluster_arn;         // "" when absent
  std::string group;               // "service:web", "family:web"; "" when absent
  std::string last_status;         // required
  std::string desired_status;      // "" when absent
  std::optional<int64_t> version;  // detail.version / Task.version
  std::vector<EcsContainer> containers;
  std::optional<std::string> eni_ipv4;  // first ENI attachment's privateIPv4Address

  bool operator==(const EcsTask&) const = default;
};

// Decodes one `Task` object at `v` (`where` prefixes errors, e.g. "tasks[3]").
// Returns "" or the error; `out` is unspecified on error.
std::string decode_ecs_task(const boost::json::value& v, const std::string& where, EcsTask& out);

}  // namespace tern::discovery
