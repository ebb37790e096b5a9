// Features a config file can ask for, so that keys whose behaviour a later version adds
// are parsed and validated normally yet refused with "<key> is not supported yet".
//
// The parser records every use of a feature with the position of its key; support.cpp
// holds the one table of features that are not supported yet and turns uses into errors.
// Thread affinity: none (plain data and pure functions). Ownership: values only.
#pragma once

#include <vector>

#include "config/config.hpp"
#include "config/diagnostics.hpp"

namespace tern::config {

enum class Feature {
  kAdmin,                     // top-level `admin`
  kAccessLog,                 // top-level `access_log`
  kDiscovery,                 // top-level `discovery`
  kHttpsListener,             // listener `protocol: HTTPS`
  kCertificates,              // listener `certificates`
  kSslPolicy,                 // listener `ssl_policy`
  kRules,                     // listener `rules`
  kTransforms,                // rule `transforms`
  kRedirect,                  // action `redirect`
  kFixedResponse,             // action `fixed_response`
  kWeightedForward,           // forward `target_groups` with more than one entry
  kForwardStickiness,         // forward `stickiness`
  kHealthCheck,               // target group `health_check`
  kTargetGroupStickiness,     // target group `stickiness`
  kSlowStart,                 // target group `slow_start`
  kDeregistrationDelay,       // target group `deregistration_delay`
  kEcsTargets,                // target group `ecs`
  kHttpsTargetGroup,          // target group `protocol: HTTPS`
  kLeastOutstandingRequests,  // `load_balancing_algorithm: least_outstanding_requests`
  kWeightedRandom,            // `load_balancing_algorithm: weighted_random`
};

struct FeatureUse {
  Feature feature;
  Mark at;  // position of the key that asked for it
};

// Adds "<key> is not supported yet" for every use of a feature this version lacks.
void report_unsupported(const std::vector<FeatureUse>& uses, Diagnostics& diag);

}  // namespace tern::config
