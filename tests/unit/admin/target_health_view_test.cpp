// GET /v1/target-groups body: the exact shape of `aws elbv2 describe-target-health`, one
// TargetHealthDescriptions list per group.
#include "lb/admin/target_health_view.hpp"

#include <gtest/gtest.h>

namespace tern::admin {
namespace {

TEST(TargetGroupsJson, NoGroups) {
  EXPECT_EQ(target_groups_json({}), R"({"TargetGroups":[]})");
}

TEST(TargetGroupsJson, GroupWithoutTargets) {
  TargetGroupView g{"empty", "least_outstanding_requests", true, {}};
  EXPECT_EQ(target_groups_json({g}),
            R"({"TargetGroups":[{"TargetGroupName":"empty",)"
            R"("LoadBalancingAlgorithm":"least_outstanding_requests","FailOpen":true,)"
            R"("TargetHealthDescriptions":[]}]})");
}

TEST(TargetGroupsJson, HealthyAndUnhealthyTargetsLikeAws) {
  TargetGroupView g;
  g.name = "app";
  g.load_balancing_algorithm = "round_robin";
  g.targets.push_back({"10.0.1.5", 8000, "8000", "healthy", "", ""});
  g.targets.push_back({"10.0.1.6", 8000, "8000", "unhealthy", "Target.ResponseCodeMismatch",
                       "Health checks failed with these codes: [503]"});
  EXPECT_EQ(target_groups_json({g}),
            R"({"TargetGroups":[{"TargetGroupName":"app","LoadBalancingAlgorithm":"round_robin",)"
            R"("FailOpen":false,"TargetHealthDescriptions":[)"
            R"({"Target":{"Id":"10.0.1.5","Port":8000},"HealthCheckPort":"8000",)"
            R"("TargetHealth":{"State":"healthy"}},)"
            R"({"Target":{"Id":"10.0.1.6","Port":8000},"HealthCheckPort":"8000",)"
            R"("TargetHealth":{"State":"unhealthy","Reason":"Target.ResponseCodeMismatch",)"
            R"("Description":"Health checks failed with these codes: [503]"}}]}]})");
}

TEST(TargetGroupsJson, ReasonWithoutDescriptionAndIpv6Target) {
  TargetGroupView g{"v6",
                    "round_robin",
                    false,
                    {{"::1", 65535, "traffic-port", "initial", "Elb.InitialHealthChecking", ""}}};
  EXPECT_EQ(target_groups_json({g}),
            R"({"TargetGroups":[{"TargetGroupName":"v6","LoadBalancingAlgorithm":"round_robin",)"
            R"("FailOpen":false,"TargetHealthDescriptions":[)"
            R"({"Target":{"Id":"::1","Port":65535},"HealthCheckPort":"traffic-port",)"
            R"("TargetHealth":{"State":"initial","Reason":"Elb.InitialHealthChecking"}}]}]})");
}

TEST(TargetGroupsJson, EmptyHealthCheckPortIsLeftOut) {
  TargetGroupView g{"a", "round_robin", false, {{"10.0.0.1", 80, "", "draining", "", ""}}};
  EXPECT_EQ(target_groups_json({g}),
            R"({"TargetGroups":[{"TargetGroupName":"a","LoadBalancingAlgorithm":"round_robin",)"
            R"("FailOpen":false,"TargetHealthDescriptions":[)"
            R"({"Target":{"Id":"10.0.0.1","Port":80},"TargetHealth":{"State":"draining"}}]}]})");
}

TEST(TargetGroupsJson, SeveralGroupsInOrderAndTextEscaped) {
  TargetGroupView a{"a", "round_robin", false, {}};
  TargetGroupView b{
      "b",
      "round_robin",
      true,
      {{"10.0.0.2", 81, "81", "unhealthy", "Target.Timeout", "Request timed out \"GET /\"\n"}}};
  EXPECT_EQ(
      target_groups_json({a, b}),
      R"({"TargetGroups":[{"TargetGroupName":"a","LoadBalancingAlgorithm":"round_robin",)"
      R"("FailOpen":false,"TargetHealthDescriptions":[]},)"
      R"({"TargetGroupName":"b","LoadBalancingAlgorithm":"round_robin","FailOpen":true,)"
      R"("TargetHealthDescriptions":[{"Target":{"Id":"10.0.0.2","Port":81},)"
      R"("HealthCheckPort":"81","TargetHealth":{"State":"unhealthy","Reason":"Target.Timeout",)"
      R"("Description":"Request timed out \"GET /\"\n"}}]}]})");
}

TEST(TargetGroupsJson, InvalidUtf8IsReplacedSoTheBodyStaysJson) {
  TargetGroupView g{
      "a\xff", "round_robin", false, {{"10.0.0.1", 80, "", "unhealthy", "", "x\xC3"}}};
  EXPECT_EQ(target_groups_json({g}),
            "{\"TargetGroups\":[{\"TargetGroupName\":\"a\xEF\xBF\xBD\",\"LoadBalancingAlgorithm\":"
            "\"round_robin\",\"FailOpen\":false,\"TargetHealthDescriptions\":[{\"Target\":"
            "{\"Id\":\"10.0.0.1\",\"Port\":80},\"TargetHealth\":{\"State\":\"unhealthy\","
            "\"Description\":\"x\xEF\xBF\xBD\"}}]}]}");
}

}  // namespace
}  // namespace tern::admin
