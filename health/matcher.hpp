// The health check's success codes (health_check.matcher: "200", "200,202", "200-299"),
// already parsed into ranges by config/parse_health_check.cpp, and the description ALB
// gives a target whose code did not match.
//
// Thread affinity: none (pure functions). Ownership: nothing kept.
#pragma once

#include <span>
#include <string>

#include "config/config.hpp"

namespace tern::health {

// True when `status` falls in one of the inclusive ranges.
inline bool match(int status, std::span<const config::StatusRange> ranges) {
  for (const auto& range : ranges) {
    if (status >= range.low && status <= range.high) return true;
  }
  return false;
}

// "Health checks failed with these codes: [503]" (ALB's Target.ResponseCodeMismatch).
std::string mismatch_description(int status);

}  // namespace tern::health
