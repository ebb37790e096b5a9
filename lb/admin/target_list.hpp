// The body of a register or deregister call (POST and DELETE
// /v1/target-groups/{name}/targets, spec/config.md "Targets from outside the file"), read
// into a list of target addresses, whole or nothing. Two shapes are accepted, not mixed:
//
//   {"targets":[{"id":"10.0.1.5","port":8000}]}                                   (tern's)
//   {"Targets":[{"Id":"10.0.1.5","Port":8000,"AvailabilityZone":"us-east-1a"}],
//    "TargetGroupArn":"arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/app/0f1e"}
//                                    (AWS's, as `aws elbv2 register-targets --cli-input-json`)
//
// In AWS's shape a TargetGroupArn must name this group (its "targetgroup/<name>/" segment)
// and AvailabilityZone is ignored. An id is an IPv4 or IPv6 literal (no host names, no
// zone ids); a port an integer in 1..65535, the group's port when absent. Duplicates are
// merged (first occurrence kept, in order).
//
// Rejected (status, then a one-line message naming the entry, key or value): a body over
// 1 MiB (413); a body whose JSON needs more than kTargetListParseMemory bytes of memory to
// hold (413); not JSON, nested deeper than kTargetListMaxDepth, not an object, a list that
// is not an array or is empty or has more than kMaxTargetsPerCall entries, an entry that is
// not an object, an unknown key anywhere, a key of the other shape, a bad id or port, a
// missing port without a group port, an ARN of another group (400). The JSON is parsed by
// Boost.JSON into a bounded arena with a small depth limit, so a hostile body can use
// neither unbounded memory nor deep recursion. Duplicate keys in one object: the last one
// wins (Boost.JSON 1.81; RFC 8259 §4 leaves it open).
//
// Thread affinity: none (a pure function). Ownership: the result owns its data.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tern::admin {

inline constexpr size_t kMaxTargetListBody = 1024 * 1024;
inline constexpr size_t kMaxTargetsPerCall = 1000;
inline constexpr unsigned kTargetListMaxDepth = 8;
inline constexpr size_t kTargetListParseMemory = 8 * 1024 * 1024;

struct TargetAddress {
  boost::asio::ip::address ip;  // as written: "::ffff:10.0.0.1" stays an IPv6 address
  uint16_t port = 0;

  bool operator==(const TargetAddress&) const = default;
};

struct ParsedTargets {
  std::vector<TargetAddress> targets;  // empty unless status == 0
  int status = 0;                      // 0: ok; else the 4xx to answer with `error`
  std::string error;                   // one line; may quote parts of the body (valid UTF-8)
};

// `group` is the {name} of the path (for the TargetGroupArn check), `group_port` the
// group's `port:` (the default for entries without one).
ParsedTargets parse_target_list(std::string_view body, std::string_view group,
                                std::optional<uint16_t> group_port);

}  // namespace tern::admin
