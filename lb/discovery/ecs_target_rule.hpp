// The contract's rule for what makes an ECS task a target (spec/config.md, "Targets from
// outside the file, exactly": ECS), one pure function used by both the poll (DescribeTasks)
// and the event feed, so the two can never disagree:
//
// - stopping: `desiredStatus` is STOPPED, or `lastStatus` is DEACTIVATING, STOPPING,
//   DEPROVISIONING or STOPPED (checked first: such a task never becomes a target again);
// - target: `lastStatus` RUNNING, the container `container_name` RUNNING, and HEALTHY when
//   it has a health check (`healthStatus` present and not UNKNOWN); the address is the
//   task's ENI private IPv4 (awsvpc: Fargate, EC2 with awsvpc), the port `container_port`;
// - not ready: anything else on the way up (PROVISIONING, PENDING, ACTIVATING, a container
//   not yet RUNNING or not HEALTHY);
// - skipped: a task tern cannot route to: no ENI (bridge and host network modes are not
//   supported yet), no container of that name, an address that is not an IPv4 literal.
//
// Thread affinity: none (pure function). Ownership: values only.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "lb/discovery/ecs_task.hpp"

namespace tern::discovery {

// The ECS service one target group follows (config's `ecs:` block; kept here as a plain
// value so discovery does not depend on the config module).
struct EcsServiceSpec {
  std::string cluster;  // name ("prod") or ARN ("arn:aws:ecs:us-west-2:1111:cluster/prod")
  std::string service;  // "web": tasks of group "service:web"
  std::string container_name;
  uint16_t container_port = 0;

  bool operator==(const EcsServiceSpec&) const = default;
};

enum class EcsTaskState : uint8_t { kTarget, kStopping, kNotReady, kSkipped };

// "target", "stopping", "not ready", "skipped".
std::string_view ecs_task_state_name(EcsTaskState state);

struct EcsVerdict {
  EcsTaskState state = EcsTaskState::kSkipped;
  // ENI address : container_port: set for kTarget, and for kStopping and kNotReady when the
  // task has a usable ENI address (so the caller can drain or hold that target).
  std::optional<boost::asio::ip::tcp::endpoint> endpoint;
  // Why, for the log: "lastStatus is PENDING", "container web is UNHEALTHY",
  // "no ENI (bridge or host network mode is not supported yet)", ...; "" for kTarget.
  std::string reason;
};

EcsVerdict classify_ecs_task(const EcsTask& task, std::string_view container_name,
                             uint16_t container_port);

}  // namespace tern::discovery
