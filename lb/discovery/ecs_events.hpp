// Decoding `POST /v1/ecs/events` bodies (spec/config.md, "Targets from outside the file,
// exactly": ECS events; spec/alb-reference.md §10.3): one EventBridge event or a JSON
// array of them. An event of detail-type "ECS Task State Change" from source "aws.ecs"
// carries a task in `detail` (the DescribeTasks `Task` shape, decoded by decode_ecs_task);
// other detail types are accepted and ignored (counted by the caller); a malformed event
// is an error for that event alone, so one bad event does not hide the others.
// ecs_services_for_task says which configured services (target groups) an event's task
// belongs to: cluster by ARN or name, `group` = "service:<name>".
//
// Thread affinity: none (pure functions). Ownership: values only.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lb/discovery/ecs_target_rule.hpp"
#include "lb/discovery/ecs_task.hpp"

namespace tern::discovery {

inline constexpr std::string_view kEcsTaskStateChange = "ECS Task State Change";
// The same limit as the registration API's bodies.
inline constexpr size_t kEcsMaxEventBodyBytes = 1024 * 1024;
// An array of events nests one level deeper than an answer's task; room for added fields.
inline constexpr size_t kEcsMaxEventDepth = 32;
// A bound on the events of one body (EventBridge sends one per call; batches are ours).
inline constexpr size_t kEcsMaxEventsPerBody = 1000;

struct EcsEvent {
  enum class Kind : uint8_t {
    kTaskStateChange,  // `task` is set
    kOtherType,        // another detail-type: ignored (detail_type says which)
    kInvalid,          // `error` says why
  };
  Kind kind = Kind::kInvalid;
  std::string detail_type;
  EcsTask task;
  std::string error;
};

struct EcsEventBody {
  std::vector<EcsEvent> events;  // in body order
  std::string error;             // the whole body is unusable ("" = ok; then events is empty)
};

EcsEventBody decode_ecs_events(std::string_view body);

// Whether `cluster_arn` names `cluster` (a name, or a full ARN compared exactly):
// "arn:aws:ecs:us-west-2:111122223333:cluster/prod" names "prod".
bool ecs_cluster_matches(std::string_view cluster_arn, std::string_view cluster);

// The indexes in `services` of those the task belongs to (several target groups may follow
// one service), in order.
std::vector<size_t> ecs_services_for_task(const EcsTask& task,
                                          std::span<const EcsServiceSpec> services);

}  // namespace tern::discovery
