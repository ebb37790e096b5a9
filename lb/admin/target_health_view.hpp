// What GET /v1/target-groups shows: plain copies of the target groups and the health of
// their targets, filled by the composition root (lb/app) from the live state when the
// request arrives, and their JSON in the shape of `aws elbv2 describe-target-health`
// (one TargetHealthDescriptions list per group), so that tooling written for ALB reads it.
//
// Thread affinity: none (plain data and a pure function); built and read on the control
// thread. Ownership: by value; the admin server holds a view only while answering.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tern::admin {

struct TargetHealthView {
  std::string id;                 // the target's IP as AWS shows it: "10.0.1.5", "::1"
  uint16_t port = 0;              // traffic port
  std::string health_check_port;  // a string, as in AWS ("8000"); omitted when empty
  std::string state;              // initial, healthy, unhealthy, unused, draining
  std::string reason;             // Elb.InitialHealthChecking, ...; omitted when empty
  std::string description;        // human-readable detail; omitted when empty
};

struct TargetGroupView {
  std::string name;
  std::string load_balancing_algorithm;  // as configured: "round_robin", ...
  bool fail_open = false;                // no target is healthy: all of them are used
  std::vector<TargetHealthView> targets;
};

// {"TargetGroups":[{"TargetGroupName":...,"LoadBalancingAlgorithm":...,"FailOpen":...,
//  "TargetHealthDescriptions":[{"Target":{"Id":...,"Port":...},"HealthCheckPort":...,
//  "TargetHealth":{"State":...,"Reason":...,"Description":...}}]}]}
// in the order given; Reason and Description are left out when empty, as AWS does. Built
// with Boost.JSON; string bytes that are not UTF-8 become U+FFFD (json_text.hpp).
std::string target_groups_json(const std::vector<TargetGroupView>& groups);

}  // namespace tern::admin
