// The bodies and headers of the two ECS calls the poll makes, in the AWS JSON 1.1
// protocol (spec/alb-reference.md §10.6): `POST /` with
// `Content-Type: application/x-amz-json-1.1` and
// `X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Operation>`. Signing (SigV4) and
// sending are the client's business; this only builds what is signed.
//
// Thread affinity: none (pure functions). Ownership: values only.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tern::discovery {

inline constexpr std::string_view kEcsContentType = "application/x-amz-json-1.1";
inline constexpr std::string_view kEcsTargetPrefix = "AmazonEC2ContainerServiceV20141113.";
// DescribeTasks takes at most 100 tasks; ListTasks pages hold at most 100.
inline constexpr size_t kEcsMaxTasksPerCall = 100;

struct EcsRequest {
  std::string operation;     // "ListTasks", "DescribeTasks"
  std::string content_type;  // kEcsContentType
  std::string amz_target;    // X-Amz-Target: kEcsTargetPrefix + operation
  std::string body;          // compact JSON

  bool operator==(const EcsRequest&) const = default;
};

// ListTasks(cluster, serviceName, desiredStatus=RUNNING, maxResults=100[, nextToken]):
// `next_token` empty = the first page.
EcsRequest ecs_list_tasks(std::string_view cluster, std::string_view service,
                          std::string_view next_token = {});

// DescribeTasks(cluster, tasks): at most kEcsMaxTasksPerCall ARNs (more are the
// caller's bug: use ecs_describe_tasks_batches).
EcsRequest ecs_describe_tasks(std::string_view cluster, std::span<const std::string> task_arns);

// `task_arns` in groups of at most `batch` (default 100), in order, each ARN once (pages of
// ListTasks may repeat one when tasks change between calls). No ARNs: no groups.
std::vector<std::vector<std::string>> ecs_batch_task_arns(std::span<const std::string> task_arns,
                                                          size_t batch = kEcsMaxTasksPerCall);

// One DescribeTasks request per batch of ecs_batch_task_arns(task_arns).
std::vector<EcsRequest> ecs_describe_tasks_batches(std::string_view cluster,
                                                   std::span<const std::string> task_arns);

}  // namespace tern::discovery
