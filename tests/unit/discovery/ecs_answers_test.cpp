// ListTasks/DescribeTasks answers, the error shapes, and malformed answers (clean errors).
#include "lb/discovery/ecs_answers.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ecs_samples.hpp"

namespace tern::discovery {
namespace {

TEST(EcsAnswers, ListTasksPages) {
  const ListTasksAnswer a = decode_list_tasks(
      R"({"taskArns":["arn:aws:ecs:us-west-2:1:task/prod/a","arn:aws:ecs:us-west-2:1:task/prod/b"],)"
      R"("nextToken":"eyJ2IjoxfQ==","newField":{"x":[1]}})");
  EXPECT_EQ(a.error, "");
  EXPECT_EQ(a.task_arns, (std::vector<std::string>{"arn:aws:ecs:us-west-2:1:task/prod/a",
                                                   "arn:aws:ecs:us-west-2:1:task/prod/b"}));
  EXPECT_EQ(a.next_token, "eyJ2IjoxfQ==");
  const ListTasksAnswer last = decode_list_tasks(R"({"taskArns":[]})");
  EXPECT_EQ(last.error, "");
  EXPECT_TRUE(last.task_arns.empty());
  EXPECT_EQ(last.next_token, "");
  EXPECT_EQ(decode_list_tasks(R"({"taskArns":["a"],"nextToken":null})").next_token, "");
}

TEST(EcsAnswers, ListTasksMalformed) {
  EXPECT_EQ(decode_list_tasks("").error, "empty; expected JSON");
  EXPECT_EQ(decode_list_tasks("[]").error, "answer: expected an object, got an array");
  EXPECT_EQ(decode_list_tasks("{}").error, "taskArns: missing");
  EXPECT_EQ(decode_list_tasks(R"({"taskArns":"a"})").error,
            "taskArns: expected an array, got a string");
  EXPECT_EQ(decode_list_tasks(R"({"taskArns":["a",7]})").error,
            "taskArns[1]: expected a task ARN, got an integer");
  EXPECT_EQ(decode_list_tasks(R"({"taskArns":[""]})").error,
            "taskArns[0]: expected a task ARN, got an empty string");
  const ListTasksAnswer bad = decode_list_tasks(R"({"taskArns":["a"],"nextToken":5})");
  EXPECT_EQ(bad.error, "nextToken: expected a string, got an integer");
  EXPECT_TRUE(bad.task_arns.empty());
  EXPECT_EQ(decode_list_tasks(R"({"taskArns":["a")").error,
            "truncated: the JSON ends after 16 bytes");
  EXPECT_EQ(decode_list_tasks(std::string(40, '[') + std::string(40, ']')).error,
            "nested deeper than 32 levels");
}

TEST(EcsAnswers, DescribeTasksRealShapes) {
  const DescribeTasksAnswer a = decode_describe_tasks(
      R"({"tasks":[)" + samples::kFargateTask + "," + samples::kBridgeTask + "," +
      samples::kEc2AwsvpcTask +
      R"(],"failures":[{"arn":"arn:aws:ecs:us-west-2:123456789012:task/MyCluster/gone",)"
      R"("reason":"MISSING"}]})");
  ASSERT_EQ(a.error, "");
  ASSERT_EQ(a.tasks.size(), 3u);
  const EcsTask& t = a.tasks[0];
  EXPECT_EQ(t.task_arn, "arn:aws:ecs:us-west-2:123456789012:task/MyCluster/1234567890123456789");
  EXPECT_EQ(t.cluster_arn, "arn:aws:ecs:us-west-2:123456789012:cluster/MyCluster");
  EXPECT_EQ(t.group, "service:fargate-service");
  EXPECT_EQ(t.last_status, "RUNNING");
  EXPECT_EQ(t.desired_status, "RUNNING");
  EXPECT_EQ(t.version, 3);
  EXPECT_EQ(t.eni_ipv4, "10.0.0.4");
  ASSERT_EQ(t.containers.size(), 1u);
  EXPECT_EQ(t.containers[0], (EcsContainer{"fargate-app", "RUNNING", "UNKNOWN", {"10.0.0.4"}}));
  EXPECT_EQ(a.tasks[1].eni_ipv4, std::nullopt);
  EXPECT_EQ(a.tasks[1].containers[0].health_status, std::nullopt);
  EXPECT_EQ(a.tasks[2].eni_ipv4, std::nullopt);
  EXPECT_EQ(a.tasks[2].containers[1].private_ipv4s, std::vector<std::string>{"10.0.2.61"});
  EXPECT_EQ(a.failures,
            (std::vector<EcsFailure>{
                {"arn:aws:ecs:us-west-2:123456789012:task/MyCluster/gone", "MISSING", ""}}));
}

TEST(EcsAnswers, DescribeTasksEmptyAndMalformed) {
  const DescribeTasksAnswer empty = decode_describe_tasks(R"({"tasks":[],"failures":[]})");
  EXPECT_EQ(empty.error, "");
  EXPECT_TRUE(empty.tasks.empty());
  struct Case {
    std::string body;
    std::string error;
  };
  const Case cases[] = {
      {"nope", "not valid JSON at offset 0: syntax error"},
      {R"({"tasks":{}})", "tasks: expected an array, got an object"},
      {R"({"tasks":[1]})", "tasks[0]: expected an object, got an integer"},
      {R"({"tasks":[{"lastStatus":"RUNNING"}]})", "tasks[0].taskArn: missing"},
      {R"({"tasks":[{"taskArn":"a"}]})", "tasks[0].lastStatus: missing"},
      {R"({"tasks":[{"taskArn":"a","lastStatus":"RUNNING","version":"3"}]})",
       "tasks[0].version: expected an integer, got a string"},
      {R"({"tasks":[{"taskArn":"a","lastStatus":"RUNNING","version":1.5}]})",
       "tasks[0].version: expected an integer, got a number with a fraction or exponent"},
      {R"({"tasks":[{"taskArn":"a","lastStatus":"RUNNING","containers":[{"name":1}]}]})",
       "tasks[0].containers[0].name: expected a string, got an integer"},
      {R"({"tasks":[{"taskArn":"a","lastStatus":"RUNNING","containers":[{"name":"w",)"
       R"("networkInterfaces":[{"privateIpv4Address":false}]}]}]})",
       "tasks[0].containers[0].networkInterfaces[0].privateIpv4Address: expected a string, got "
       "a boolean"},
      {R"({"tasks":[{"taskArn":"a","lastStatus":"RUNNING","attachments":[{"type":"eni",)"
       R"("details":[{"name":"privateIPv4Address","value":7}]}]}]})",
       "tasks[0].attachments[0].details[0].value: expected a string, got an integer"},
      {R"({"tasks":[],"failures":[{"arn":[]}]})",
       "failures[0].arn: expected a string, got an array"},
  };
  for (const Case& c : cases) {
    const DescribeTasksAnswer a = decode_describe_tasks(c.body);
    EXPECT_EQ(a.error, c.error) << c.body;
    EXPECT_TRUE(a.tasks.empty());
  }
}

TEST(EcsAnswers, EveryTruncationOfARealAnswerIsAnError) {
  const std::string whole = R"({"tasks":[)" + samples::kFargateTask + R"(],"failures":[]})";
  for (size_t n = 0; n < whole.size(); ++n) {
    const std::string cut = whole.substr(0, n);
    const DescribeTasksAnswer a = decode_describe_tasks(cut);
    // A cut ending right after a complete value plus whitespace is still incomplete JSON.
    EXPECT_NE(a.error, "") << n;
  }
}

TEST(EcsAnswers, ClassifiesErrors) {
  EXPECT_EQ(classify_ecs_answer(200, "", "{}"), (EcsCallResult{EcsOutcome::kOk, "", ""}));
  EXPECT_EQ(classify_ecs_answer(
                400, "",
                R"({"__type":"com.amazonaws.ecs#ThrottlingException","message":"Rate exceeded"})"),
            (EcsCallResult{EcsOutcome::kThrottled, "ThrottlingException", "Rate exceeded"}));
  EXPECT_EQ(classify_ecs_answer(400, "ThrottlingException:http://internal.amazon.com/coral/", ""),
            (EcsCallResult{EcsOutcome::kThrottled, "ThrottlingException", "HTTP 400"}));
  EXPECT_EQ(classify_ecs_answer(429, "", "slow down"),
            (EcsCallResult{EcsOutcome::kThrottled, "", "HTTP 429 without an AWS error body"}));
  EXPECT_EQ(classify_ecs_answer(400, "",
                                R"({"__type":"ClientException","message":"Cluster not found."})"),
            (EcsCallResult{EcsOutcome::kClientError, "ClientException", "Cluster not found."}));
  EXPECT_EQ(classify_ecs_answer(
                400, "ServiceNotFoundException",
                R"({"__type":"com.amazonaws.ecs#ServiceNotFoundException","message":"x"})"),
            (EcsCallResult{EcsOutcome::kClientError, "ServiceNotFoundException", "x"}));
  EXPECT_EQ(
      classify_ecs_answer(403, "",
                          R"({"__type":"UnrecognizedClientException",)"
                          R"("Message":"The security token included in the request is invalid."})"),
      (EcsCallResult{EcsOutcome::kClientError, "UnrecognizedClientException",
                     "The security token included in the request is invalid."}));
  EXPECT_EQ(classify_ecs_answer(
                500, "", R"({"__type":"com.amazonaws.ecs#ServerException","message":"oops"})"),
            (EcsCallResult{EcsOutcome::kServerError, "ServerException", "oops"}));
  EXPECT_EQ(classify_ecs_answer(503, "", "<html>"),
            (EcsCallResult{EcsOutcome::kServerError, "", "HTTP 503 without an AWS error body"}));
  EXPECT_EQ(classify_ecs_answer(400, "", "[[[["),
            (EcsCallResult{EcsOutcome::kClientError, "", "HTTP 400 without an AWS error body"}));
  EXPECT_EQ(ecs_outcome_name(EcsOutcome::kThrottled), "throttled");
}

}  // namespace
}  // namespace tern::discovery
