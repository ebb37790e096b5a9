// EventBridge bodies: one event, arrays mixing ours, other clusters, services and detail
// types, malformed events, limits; matching events to configured services.
#include "lb/discovery/ecs_events.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ecs_samples.hpp"

namespace tern::discovery {
namespace {

using samples::event;
using Kind = EcsEvent::Kind;

const std::vector<EcsServiceSpec> kServices = {
    {"prod", "web", "web", 8080},
    {"arn:aws:ecs:us-west-2:111122223333:cluster/prod", "web", "web", 9090},
    {"prod", "api", "api", 80},
};

TEST(EcsEvents, OneEvent) {
  const EcsEventBody b = decode_ecs_events(event("RUNNING", "RUNNING", 4));
  ASSERT_EQ(b.error, "");
  ASSERT_EQ(b.events.size(), 1u);
  const EcsEvent& e = b.events[0];
  EXPECT_EQ(e.kind, Kind::kTaskStateChange);
  EXPECT_EQ(e.task.task_arn,
            "arn:aws:ecs:us-west-2:111122223333:task/prod/c13b4cb40f1f4fe4a2971f76ae5a47ad");
  EXPECT_EQ(e.task.version, 4);
  EXPECT_EQ(e.task.eni_ipv4, "10.0.0.139");
  EXPECT_EQ(e.task.group, "service:web");
  EXPECT_EQ(ecs_services_for_task(e.task, kServices), (std::vector<size_t>{0, 1}));
  const EcsVerdict v = classify_ecs_task(e.task, "web", 8080);
  EXPECT_EQ(v.state, EcsTaskState::kTarget);
  EXPECT_EQ(v.endpoint->address().to_string(), "10.0.0.139");
}

TEST(EcsEvents, ArrayMixingOursOthersAndOtherTypes) {
  const std::string body =
      "[" + event("RUNNING", "RUNNING", 4) + "," + event("RUNNING", "RUNNING", 4, "staging") + "," +
      event("RUNNING", "RUNNING", 4, "prod", "service:other") + "," +
      event("RUNNING", "RUNNING", 4, "prod", "family:web") + "," +
      event("RUNNING", "RUNNING", 4, "prod", "service:web", "ECS Container Instance State Change") +
      "," + event("STOPPING", "STOPPED", 6, "prod", "service:api") + "]";
  const EcsEventBody b = decode_ecs_events(body);
  ASSERT_EQ(b.error, "");
  ASSERT_EQ(b.events.size(), 6u);
  EXPECT_EQ(ecs_services_for_task(b.events[0].task, kServices), (std::vector<size_t>{0, 1}));
  EXPECT_TRUE(ecs_services_for_task(b.events[1].task, kServices).empty());
  EXPECT_TRUE(ecs_services_for_task(b.events[2].task, kServices).empty());
  EXPECT_TRUE(ecs_services_for_task(b.events[3].task, kServices).empty());
  EXPECT_EQ(b.events[4].kind, Kind::kOtherType);
  EXPECT_EQ(b.events[4].detail_type, "ECS Container Instance State Change");
  EXPECT_EQ(b.events[5].kind, Kind::kTaskStateChange);
  EXPECT_EQ(ecs_services_for_task(b.events[5].task, kServices), (std::vector<size_t>{2}));
  EXPECT_EQ(classify_ecs_task(b.events[5].task, "api", 80).state, EcsTaskState::kStopping);
}

TEST(EcsEvents, ClusterMatching) {
  EXPECT_TRUE(ecs_cluster_matches("arn:aws:ecs:us-west-2:1:cluster/prod", "prod"));
  EXPECT_TRUE(ecs_cluster_matches("arn:aws:ecs:us-west-2:1:cluster/prod",
                                  "arn:aws:ecs:us-west-2:1:cluster/prod"));
  EXPECT_FALSE(ecs_cluster_matches("arn:aws:ecs:us-west-2:1:cluster/prod",
                                   "arn:aws:ecs:us-west-2:2:cluster/prod"));
  EXPECT_FALSE(ecs_cluster_matches("arn:aws:ecs:us-west-2:1:cluster/prod2", "prod"));
  EXPECT_FALSE(ecs_cluster_matches("arn:aws:ecs:us-west-2:1:cluster/xprod", "prod"));
  EXPECT_FALSE(ecs_cluster_matches("", "prod"));
  EXPECT_FALSE(ecs_cluster_matches("prod", ""));
}

TEST(EcsEvents, MalformedEventsAreEachAnError) {
  const std::string ok = event("RUNNING", "RUNNING", 4);
  const std::string body =
      "[" + ok + R"(,7,{"source":"aws.ecs"},)" +
      R"({"detail-type":"ECS Task State Change","source":"aws.ec2","detail":{}},)" +
      R"({"detail-type":"ECS Task State Change","source":"aws.ecs"},)" +
      R"({"detail-type":"ECS Task State Change","source":"aws.ecs","detail":[]},)" +
      R"({"detail-type":"ECS Task State Change","source":"aws.ecs",)" +
      R"("detail":{"taskArn":"a","lastStatus":"RUNNING"}},)" +
      R"({"detail-type":"ECS Task State Change","source":"aws.ecs",)" +
      R"("detail":{"taskArn":"a","lastStatus":"RUNNING","version":"4"}}])";
  const EcsEventBody b = decode_ecs_events(body);
  ASSERT_EQ(b.error, "");
  ASSERT_EQ(b.events.size(), 8u);
  EXPECT_EQ(b.events[0].kind, Kind::kTaskStateChange);
  const std::vector<std::string> errors = {
      "[1]: expected an object, got an integer",
      "[2].detail-type: missing",
      "[3].source: \"aws.ec2\" is not aws.ecs for an ECS Task State Change",
      "[4].detail: missing",
      "[5].detail: expected an object, got an array",
      "[6].detail.version: missing",
      "[7].detail.version: expected an integer, got a string",
  };
  for (size_t i = 0; i < errors.size(); ++i) {
    EXPECT_EQ(b.events[i + 1].kind, Kind::kInvalid) << i + 1;
    EXPECT_EQ(b.events[i + 1].error, errors[i]) << i + 1;
  }
  EXPECT_EQ(decode_ecs_events(R"({"source":"aws.ecs"})").events[0].error, "detail-type: missing");
}

TEST(EcsEvents, BodyLevelErrors) {
  EXPECT_EQ(decode_ecs_events("").error, "empty; expected JSON");
  EXPECT_EQ(decode_ecs_events("[]").error, "an empty array; expected at least one event");
  EXPECT_EQ(decode_ecs_events(R"("x")").error,
            "expected an event object or an array of events, got a string");
  EXPECT_EQ(decode_ecs_events("{").error, "truncated: the JSON ends after 1 bytes");
  EXPECT_EQ(decode_ecs_events(std::string(33, '[') + std::string(33, ']')).error,
            "nested deeper than 32 levels");
  const std::string big(kEcsMaxEventBodyBytes + 1, ' ');
  EXPECT_EQ(decode_ecs_events(big).error, "over 1048576 bytes (1048577)");
  std::string many = "[";
  for (size_t i = 0; i <= kEcsMaxEventsPerBody; ++i) many += (i ? ",{}" : "{}");
  many += "]";
  EXPECT_EQ(decode_ecs_events(many).error, "1001 events; at most 1000 per body");
  const std::string ok = event("RUNNING", "RUNNING", 4);
  for (size_t n = 0; n < ok.size(); n += 7) {
    EXPECT_NE(decode_ecs_events(ok.substr(0, n)).error, "") << n;
  }
}

}  // namespace
}  // namespace tern::discovery
