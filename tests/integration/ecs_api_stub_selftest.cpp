// Self-tests of the ECS API stub (tests/support/ecs_api_stub.hpp), without tern: requests
// built with lb/discovery/ecs_requests, signed with lb/discovery/sigv4, sent over a real
// socket, answers decoded and classified with lb/discovery/ecs_answers. The stand-in must
// be right before it judges tern's ECS client.
#include <gtest/gtest.h>

#include <cerrno>
#include <memory>
#include <set>

#include "lb/discovery/ecs_answers.hpp"
#include "lb/discovery/ecs_requests.hpp"
#include "lb/discovery/sigv4.hpp"
#include "tests/support/client.hpp"
#include "tests/support/ecs_api_stub.hpp"

namespace tern::test {
namespace {

namespace sigv4 = discovery::sigv4;
using discovery::EcsOutcome;
using std::chrono::system_clock;

struct CallOptions {
  std::optional<sigv4::Credentials> credentials;  // default: the stub's
  std::string region;                             // default: the stub's
  system_clock::time_point when = system_clock::now();
  std::string amz_target;  // default: the request's
};

Response call(const EcsApiStub& stub, const discovery::EcsRequest& request,
              const CallOptions& o = {}) {
  const sigv4::SigningRequest unsigned_request{
      "POST",
      "/",
      "",
      {{"Content-Type", request.content_type},
       {"X-Amz-Target", o.amz_target.empty() ? request.amz_target : o.amz_target}},
      request.body};
  sigv4::SigningParams params;
  params.credentials = o.credentials.value_or(stub.credentials());
  params.region = o.region.empty() ? stub.region() : o.region;
  params.service = "ecs";
  params.host = stub.address();
  const sigv4::SigningResult signed_request = sigv4::sign(unsigned_request, params, o.when);
  Headers headers;
  for (const auto& [name, value] : unsigned_request.headers) headers.push_back({name, value});
  for (const auto& [name, value] : signed_request.headers) headers.push_back({name, value});
  Client client(stub.port());
  return client.request(build_request("POST", "/", headers, request.body));
}

discovery::EcsCallResult classify(const Response& r) {
  return discovery::classify_ecs_answer(static_cast<unsigned>(r.status),
                                        r.header("x-amzn-ErrorType").value_or(""), r.body);
}

TEST(EcsApiStubSelfTest, SignedListTasksSucceeds) {
  EcsApiStub stub;
  const std::string a = stub.add_task("prod", "web", EcsStubTask::running("10.0.0.1"));
  const std::string b = stub.add_task("prod", "web", EcsStubTask::running("10.0.0.2"));
  stub.add_task("prod", "other", EcsStubTask::running("10.0.0.3"));
  stub.stop_task(b);

  const Response r = call(stub, discovery::ecs_list_tasks("prod", "web"));
  ASSERT_TRUE(r.ok()) << r.describe();
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(classify(r).outcome, EcsOutcome::kOk);
  const auto answer = discovery::decode_list_tasks(r.body);
  ASSERT_EQ(answer.error, "");
  EXPECT_EQ(answer.task_arns, std::vector<std::string>{a});
  EXPECT_EQ(answer.next_token, "");
  EXPECT_EQ(stub.call_count("ListTasks"), 1U);
  EXPECT_EQ(stub.call_count("DescribeTasks"), 0U);
  const auto last = stub.last_request();
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->operation, "ListTasks");
  EXPECT_EQ(last->status, 200);

  // The cluster by ARN works too; an unknown cluster or service is a client error.
  const Response by_arn = call(stub, discovery::ecs_list_tasks(stub.cluster_arn("prod"), "web"));
  EXPECT_EQ(discovery::decode_list_tasks(by_arn.body).task_arns, std::vector<std::string>{a});
  EXPECT_EQ(classify(call(stub, discovery::ecs_list_tasks("nope", "web"))).error_type,
            "ClusterNotFoundException");
  EXPECT_EQ(classify(call(stub, discovery::ecs_list_tasks("prod", "nope"))).error_type,
            "ServiceNotFoundException");
}

TEST(EcsApiStubSelfTest, OneHundredFiftyTasksComeBackOverTwoPages) {
  EcsApiStub stub;
  std::set<std::string> added;
  for (int i = 0; i < 150; ++i) {
    added.insert(stub.add_task("prod", "web",
                               EcsStubTask::running("10.0." + std::to_string(i / 250) + "." +
                                                    std::to_string(i % 250 + 1))));
  }
  const Response first = call(stub, discovery::ecs_list_tasks("prod", "web"));
  const auto page1 = discovery::decode_list_tasks(first.body);
  ASSERT_EQ(page1.error, "") << first.body;
  EXPECT_EQ(page1.task_arns.size(), 100U);
  ASSERT_NE(page1.next_token, "");
  const Response second = call(stub, discovery::ecs_list_tasks("prod", "web", page1.next_token));
  const auto page2 = discovery::decode_list_tasks(second.body);
  ASSERT_EQ(page2.error, "") << second.body;
  EXPECT_EQ(page2.task_arns.size(), 50U);
  EXPECT_EQ(page2.next_token, "");
  std::set<std::string> seen(page1.task_arns.begin(), page1.task_arns.end());
  seen.insert(page2.task_arns.begin(), page2.task_arns.end());
  EXPECT_EQ(seen, added);
  EXPECT_EQ(stub.call_count("ListTasks"), 2U);

  const Response bad = call(stub, discovery::ecs_list_tasks("prod", "web", "garbage"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(classify(bad).error_type, "InvalidParameterException");
  EXPECT_EQ(classify(bad).outcome, EcsOutcome::kClientError);
}

TEST(EcsApiStubSelfTest, DescribeTasksDecodesToTheEniAddresses) {
  EcsApiStub stub;
  EcsStubTask checked = EcsStubTask::running("10.0.0.2", "api");
  checked.containers.front().health_status = "HEALTHY";
  const std::string a = stub.add_task("prod", "web", EcsStubTask::running("10.0.0.1"));
  const std::string b = stub.add_task("prod", "web", checked);
  const std::string c = stub.replace_task(a, EcsStubTask::running("10.0.0.3"));
  ASSERT_NE(c, "");
  const std::string missing =
      "arn:aws:ecs:us-east-1:123456789012:task/prod/ffffffffffffffffffffffffffffffff";
  const std::vector<std::string> arns{a, b, c, missing};

  const Response r = call(stub, discovery::ecs_describe_tasks("prod", arns));
  ASSERT_EQ(r.status, 200) << r.body;
  const auto answer = discovery::decode_describe_tasks(r.body);
  ASSERT_EQ(answer.error, "") << r.body;
  ASSERT_EQ(answer.tasks.size(), 3U);
  EXPECT_EQ(answer.tasks[0].task_arn, a);
  EXPECT_EQ(answer.tasks[0].last_status, "STOPPED");
  EXPECT_EQ(answer.tasks[0].desired_status, "STOPPED");
  EXPECT_EQ(answer.tasks[0].version, 2);
  EXPECT_EQ(answer.tasks[0].eni_ipv4, "10.0.0.1");
  EXPECT_EQ(answer.tasks[1].eni_ipv4, "10.0.0.2");
  EXPECT_EQ(answer.tasks[1].group, "service:web");
  EXPECT_EQ(answer.tasks[1].cluster_arn, stub.cluster_arn("prod"));
  EXPECT_EQ(answer.tasks[1].last_status, "RUNNING");
  EXPECT_EQ(answer.tasks[1].version, 1);
  ASSERT_EQ(answer.tasks[1].containers.size(), 1U);
  EXPECT_EQ(answer.tasks[1].containers[0].name, "api");
  EXPECT_EQ(answer.tasks[1].containers[0].health_status, "HEALTHY");
  EXPECT_EQ(answer.tasks[1].containers[0].private_ipv4s, std::vector<std::string>{"10.0.0.2"});
  EXPECT_EQ(answer.tasks[2].eni_ipv4, "10.0.0.3");
  ASSERT_EQ(answer.failures.size(), 1U);
  EXPECT_EQ(answer.failures[0].arn, missing);
  EXPECT_EQ(answer.failures[0].reason, "MISSING");

  // More than 100 tasks in one call is refused.
  std::vector<std::string> many(101, a);
  const Response too_many = call(stub, discovery::ecs_describe_tasks("prod", many));
  EXPECT_EQ(classify(too_many).error_type, "InvalidParameterException");
  EXPECT_EQ(stub.call_count("DescribeTasks"), 2U);
}

TEST(EcsApiStubSelfTest, RefusesWrongSecretRegionDateTokenAndKey) {
  EcsApiStubOptions options;
  options.credentials = {"ASIASTUBEXAMPLE", "the-secret", "the-session-token"};
  EcsApiStub stub(options);
  stub.add_service("prod", "web");
  const auto request = discovery::ecs_list_tasks("prod", "web");
  const auto expect_refused = [&](const CallOptions& o, std::string_view type,
                                  std::string_view message_part) {
    const Response r = call(stub, request, o);
    ASSERT_TRUE(r.ok()) << r.describe();
    EXPECT_EQ(r.status, 403) << r.body;
    const auto result = classify(r);
    EXPECT_EQ(result.outcome, EcsOutcome::kClientError);
    EXPECT_EQ(result.error_type, type) << r.body;
    EXPECT_NE(result.message.find(message_part), std::string::npos) << result.message;
  };

  EXPECT_EQ(call(stub, request).status, 200);
  CallOptions o;
  o.credentials = sigv4::Credentials{"ASIASTUBEXAMPLE", "wrong-secret", "the-session-token"};
  expect_refused(o, "InvalidSignatureException", "signature we calculated does not match");
  o = {};
  o.region = "eu-west-1";
  expect_refused(o, "InvalidSignatureException", "valid region");
  o = {};
  o.when = system_clock::now() - std::chrono::minutes(10);
  expect_refused(o, "InvalidSignatureException", "Signature expired");
  o = {};
  o.credentials = sigv4::Credentials{"ASIASTUBEXAMPLE", "the-secret", std::nullopt};
  expect_refused(o, "UnrecognizedClientException", "security token");
  o.credentials = sigv4::Credentials{"ASIASTUBEXAMPLE", "the-secret", "another-token"};
  expect_refused(o, "UnrecognizedClientException", "security token");
  o.credentials = sigv4::Credentials{"AKIAUNKNOWN", "the-secret", "the-session-token"};
  expect_refused(o, "UnrecognizedClientException", "security token");

  // The stub's clock is injectable: 10 minutes ahead, a fresh signature is stale.
  stub.set_clock_offset(std::chrono::minutes(10));
  expect_refused({}, "InvalidSignatureException", "Signature expired");
  stub.set_clock_offset(std::chrono::seconds(0));

  // An unknown operation is refused whatever the signature.
  o = {};
  o.amz_target = "AmazonEC2ContainerServiceV20141113.DeleteCluster";
  const Response unknown = call(stub, request, o);
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(classify(unknown).error_type, "UnknownOperationException");
  EXPECT_EQ(stub.call_count("ListTasks"), 8U);
  EXPECT_EQ(stub.call_count("DeleteCluster"), 1U);
}

TEST(EcsApiStubSelfTest, InjectedThrottlingAndServerErrors) {
  EcsApiStub stub;
  stub.add_task("prod", "web", EcsStubTask::running("10.0.0.1"));
  const auto request = discovery::ecs_list_tasks("prod", "web");
  stub.throttle_next(2);
  stub.fail_next(1);
  for (int i = 0; i < 2; ++i) {
    const Response r = call(stub, request);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, R"({"__type":"ThrottlingException","message":"Rate exceeded"})");
    const auto result = classify(r);
    EXPECT_EQ(result.outcome, EcsOutcome::kThrottled);
    EXPECT_EQ(result.error_type, "ThrottlingException");
  }
  const Response failed = call(stub, request);
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(classify(failed).outcome, EcsOutcome::kServerError);
  EXPECT_EQ(classify(failed).error_type, "ServerException");
  EXPECT_EQ(call(stub, request).status, 200);
  EXPECT_EQ(stub.call_count("ListTasks"), 4U);
}

TEST(EcsApiStubSelfTest, ResetAndRefusedConnections) {
  EcsApiStub stub;
  stub.add_service("prod", "web");
  stub.set_reset_connections(true);
  int error = 0;
  // The stub resets each connection as it accepts it: the reset reaches the client while
  // its connect completes (ECONNRESET) or right after it.
  std::unique_ptr<Client> client = Client::try_connect(stub.port(), Millis(5000), &error);
  if (client) {
    EXPECT_TRUE(client->wait_closed(Millis(5000)));
  } else {
    EXPECT_EQ(error, ECONNRESET);
  }
  stub.set_reset_connections(false);
  EXPECT_EQ(call(stub, discovery::ecs_list_tasks("prod", "web")).status, 200);
  error = 0;
  stub.set_refuse_connections(true);
  EXPECT_TRUE(Client::try_connect(stub.port(), Millis(2000), &error) == nullptr);
  EXPECT_EQ(error, ECONNREFUSED);
  stub.set_refuse_connections(false);
  EXPECT_EQ(call(stub, discovery::ecs_list_tasks("prod", "web")).status, 200);
  const uint16_t port = stub.port();
  stub.stop();
  error = 0;
  EXPECT_TRUE(Client::try_connect(port, Millis(2000), &error) == nullptr);
  EXPECT_EQ(error, ECONNREFUSED);
}

}  // namespace
}  // namespace tern::test
