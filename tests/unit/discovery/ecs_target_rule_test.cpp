// The rule for what makes a target, on real-shaped DescribeTasks tasks.
#include "lb/discovery/ecs_target_rule.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "ecs_samples.hpp"

namespace tern::discovery {
namespace {

EcsTask task(const std::string& text) {
  EcsTask t;
  const std::string error = decode_ecs_task(boost::json::parse(text), "task", t);
  EXPECT_EQ(error, "");
  return t;
}

EcsVerdict rule(const std::string& text) {
  return classify_ecs_task(task(text), "fargate-app", 8080);
}

std::string endpoint(const EcsVerdict& v) {
  return v.endpoint ? v.endpoint->address().to_string() + ":" + std::to_string(v.endpoint->port())
                    : "none";
}

TEST(EcsTargetRule, FargateTaskWithEniIsATarget) {
  const EcsVerdict v = rule(samples::kFargateTask);
  EXPECT_EQ(v.state, EcsTaskState::kTarget);
  EXPECT_EQ(endpoint(v), "10.0.0.4:8080");
  EXPECT_EQ(v.reason, "");
}

TEST(EcsTargetRule, Ec2AwsvpcTaskUsesTheContainersInterface) {
  const EcsVerdict v = rule(samples::kEc2AwsvpcTask);
  EXPECT_EQ(v.state, EcsTaskState::kTarget);
  EXPECT_EQ(endpoint(v), "10.0.2.61:8080");
}

TEST(EcsTargetRule, BridgeTaskIsSkipped) {
  const EcsVerdict v = rule(samples::kBridgeTask);
  EXPECT_EQ(v.state, EcsTaskState::kSkipped);
  EXPECT_EQ(v.reason, "no ENI (bridge or host network mode is not supported yet)");
  EXPECT_EQ(endpoint(v), "none");
}

TEST(EcsTargetRule, HealthCheck) {
  EXPECT_EQ(rule(samples::task_with_health("HEALTHY")).state, EcsTaskState::kTarget);
  EXPECT_EQ(rule(samples::task_with_health("UNKNOWN")).state, EcsTaskState::kTarget);
  const EcsVerdict v = rule(samples::task_with_health("UNHEALTHY"));
  EXPECT_EQ(v.state, EcsTaskState::kNotReady);
  EXPECT_EQ(v.reason, "container fargate-app is UNHEALTHY");
  EXPECT_EQ(endpoint(v), "10.0.1.9:8080");
}

TEST(EcsTargetRule, StoppingTask) {
  const EcsVerdict v = rule(samples::kStoppingTask);
  EXPECT_EQ(v.state, EcsTaskState::kStopping);
  EXPECT_EQ(v.reason, "desiredStatus is STOPPED, lastStatus is STOPPING");
  EXPECT_EQ(endpoint(v), "10.0.0.8:8080");
  EcsTask t = task(samples::kFargateTask);
  for (const char* last : {"DEACTIVATING", "STOPPING", "DEPROVISIONING", "STOPPED"}) {
    t.last_status = last;
    EXPECT_EQ(classify_ecs_task(t, "fargate-app", 1).state, EcsTaskState::kStopping) << last;
  }
  t.last_status = "RUNNING";
  t.desired_status = "STOPPED";
  EXPECT_EQ(classify_ecs_task(t, "fargate-app", 1).state, EcsTaskState::kStopping);
  // Stopping wins even without an ENI (a bridge task being stopped).
  EcsTask bridge = task(samples::kBridgeTask);
  bridge.desired_status = "STOPPED";
  EXPECT_EQ(classify_ecs_task(bridge, "fargate-app", 1).state, EcsTaskState::kStopping);
}

TEST(EcsTargetRule, NotYetRunning) {
  EcsTask t = task(samples::kFargateTask);
  for (const char* last : {"PROVISIONING", "PENDING", "ACTIVATING"}) {
    t.last_status = last;
    const EcsVerdict v = classify_ecs_task(t, "fargate-app", 80);
    EXPECT_EQ(v.state, EcsTaskState::kNotReady) << last;
    EXPECT_EQ(v.reason, std::string("lastStatus is ") + last);
  }
  t.last_status = "RUNNING";
  t.containers[0].last_status = "PENDING";
  EXPECT_EQ(classify_ecs_task(t, "fargate-app", 80).reason, "container fargate-app is PENDING");
}

TEST(EcsTargetRule, OtherContainerOrBadAddressIsSkipped) {
  const EcsVerdict v = classify_ecs_task(task(samples::kFargateTask), "sidecar", 80);
  EXPECT_EQ(v.state, EcsTaskState::kSkipped);
  EXPECT_EQ(v.reason, "no container named \"sidecar\"");
  EcsTask t = task(samples::kFargateTask);
  t.eni_ipv4 = "2001:db8::1";
  EXPECT_EQ(classify_ecs_task(t, "fargate-app", 80).reason,
            "ENI address \"2001:db8::1\" is not an IPv4 address");
  EXPECT_EQ(ecs_task_state_name(EcsTaskState::kNotReady), "not ready");
}

}  // namespace
}  // namespace tern::discovery
