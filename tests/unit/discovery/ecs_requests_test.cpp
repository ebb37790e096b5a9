// ECS request bodies and headers (JSON 1.1), pagination token, and the 100-batching.
#include "lb/discovery/ecs_requests.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tern::discovery {
namespace {

TEST(EcsRequests, ListTasksFirstPageAndNextPage) {
  const EcsRequest first = ecs_list_tasks("prod", "web");
  EXPECT_EQ(first.operation, "ListTasks");
  EXPECT_EQ(first.content_type, "application/x-amz-json-1.1");
  EXPECT_EQ(first.amz_target, "AmazonEC2ContainerServiceV20141113.ListTasks");
  EXPECT_EQ(first.body,
            R"({"cluster":"prod","serviceName":"web","desiredStatus":"RUNNING","maxResults":100})");
  EXPECT_EQ(ecs_list_tasks("prod", "web", "tok/+=\"x").body,
            R"({"cluster":"prod","serviceName":"web","desiredStatus":"RUNNING","maxResults":100,)"
            R"("nextToken":"tok/+=\"x"})");
}

TEST(EcsRequests, DescribeTasks) {
  const std::vector<std::string> arns = {"arn:aws:ecs:us-west-2:1:task/prod/a", "b"};
  const EcsRequest r = ecs_describe_tasks("arn:aws:ecs:us-west-2:1:cluster/prod", arns);
  EXPECT_EQ(r.operation, "DescribeTasks");
  EXPECT_EQ(r.amz_target, "AmazonEC2ContainerServiceV20141113.DescribeTasks");
  EXPECT_EQ(r.content_type, "application/x-amz-json-1.1");
  EXPECT_EQ(r.body, R"({"cluster":"arn:aws:ecs:us-west-2:1:cluster/prod",)"
                    R"("tasks":["arn:aws:ecs:us-west-2:1:task/prod/a","b"]})");
}

std::vector<std::string> numbered(size_t n) {
  std::vector<std::string> v;
  for (size_t i = 0; i < n; ++i) v.push_back("t" + std::to_string(i));
  return v;
}

TEST(EcsRequests, BatchesOf100) {
  EXPECT_TRUE(ecs_batch_task_arns({}).empty());
  for (size_t n : {1u, 99u, 100u, 101u, 200u, 250u}) {
    const auto arns = numbered(n);
    const auto batches = ecs_batch_task_arns(arns);
    ASSERT_EQ(batches.size(), (n + 99) / 100) << n;
    size_t next = 0;
    for (const auto& b : batches) {
      EXPECT_LE(b.size(), 100u);
      for (const auto& arn : b) EXPECT_EQ(arn, "t" + std::to_string(next++));
    }
    EXPECT_EQ(next, n);
  }
  EXPECT_EQ(ecs_batch_task_arns(numbered(250))[2].size(), 50u);
}

TEST(EcsRequests, BatchingDropsRepeatedArns) {
  const std::vector<std::string> arns = {"a", "b", "a", "c", "b"};
  EXPECT_EQ(ecs_batch_task_arns(arns, 2),
            (std::vector<std::vector<std::string>>{{"a", "b"}, {"c"}}));
}

TEST(EcsRequests, DescribeBatchesOneRequestPerBatch) {
  const auto arns = numbered(201);
  const auto requests = ecs_describe_tasks_batches("prod", arns);
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[2].body, R"({"cluster":"prod","tasks":["t200"]})");
  EXPECT_TRUE(ecs_describe_tasks_batches("prod", {}).empty());
}

}  // namespace
}  // namespace tern::discovery
