#include "lb/discovery/ecs_requests.hpp"

#include <boost/json.hpp>
#include <unordered_set>

namespace tern::discovery {
namespace {

namespace json = boost::json;

json::string_view sv(std::string_view s) {
  return {s.data(), s.size()};
}

EcsRequest request(std::string_view operation, const json::object& body) {
  EcsRequest r;
  r.operation = std::string(operation);
  r.content_type = std::string(kEcsContentType);
  r.amz_target = std::string(kEcsTargetPrefix) + r.operation;
  r.body = json::serialize(body);
  return r;
}

}  // namespace

EcsRequest ecs_list_tasks(std::string_view cluster, std::string_view service,
                          std::string_view next_token) {
  json::object body;
  body["cluster"] = sv(cluster);
  body["serviceName"] = sv(service);
  body["desiredStatus"] = "RUNNING";
  body["maxResults"] = static_cast<int64_t>(kEcsMaxTasksPerCall);
  if (!next_token.empty()) body["nextToken"] = sv(next_token);
  return request("ListTasks", body);
}

EcsRequest ecs_describe_tasks(std::string_view cluster, std::span<const std::string> task_arns) {
  json::array tasks;
  tasks.reserve(task_arns.size());
  for (const std::string& arn : task_arns) tasks.emplace_back(sv(arn));
  json::object body;
  body["cluster"] = sv(cluster);
  body["tasks"] = std::move(tasks);
  return request("DescribeTasks", body);
}

std::vector<std::vector<std::string>> ecs_batch_task_arns(std::span<const std::string> task_arns,
                                                          size_t batch) {
  if (batch == 0) batch = kEcsMaxTasksPerCall;
  std::vector<std::vector<std::string>> batches;
  std::unordered_set<std::string_view> seen;
  for (const std::string& arn : task_arns) {
    if (!seen.insert(arn).second) continue;
    if (batches.empty() || batches.back().size() == batch) batches.emplace_back();
    batches.back().push_back(arn);
  }
  return batches;
}

std::vector<EcsRequest> ecs_describe_tasks_batches(std::string_view cluster,
                                                   std::span<const std::string> task_arns) {
  std::vector<EcsRequest> requests;
  for (const auto& b : ecs_batch_task_arns(task_arns)) {
    requests.push_back(ecs_describe_tasks(cluster, b));
  }
  return requests;
}

}  // namespace tern::discovery
