// Finds the first matching rule without scanning every rule. Each rule is filed under ONE
// of its conditions that can be indexed (host_header or path_pattern), under the literal
// key of each of that condition's values:
//  - an exact value ("api.example.com", "/health") as an exact key;
//  - a wildcard value by its longer literal end: the head of "/users/*" as a prefix key,
//    the tail of "*.example.com" as a suffix key (reversed trie);
//  - a path regex anchored with '^' by its required literal prefix ("^/v1/orders/[0-9]+$"
//    under "/v1/orders/"); other regexes make their condition unindexable.
// Of host and path, a rule goes where its keys are shared by the fewest other rules (10,000
// rules on one host with distinct paths are filed by path). A rule with neither, or with
// a wildcard value whose literal end is shorter than kMinAffix ("/*", "*"), is "unindexed"
// and checked for every request.
//
// A lookup walks the four tries with the request's host and path and checks the rules
// of every list it reaches, in ascending order and only below the best match found so
// far; the unindexed rules are checked the same way. When the key alone decides the
// condition (an exact value, "literal*", "*literal"), that condition is not checked again,
// so a rule with thousands of such values costs one walk, not one comparison per value. Every rule
// that can match a request is on some list the request reaches (its indexed condition must hold,
// and each value's key is a prefix, suffix or equal of every text that value matches), so the
// result is exactly the first match of a linear scan (see the differential test).
//
// Thread affinity: built on the control thread, then immutable and used by every worker
// concurrently. Ownership: value, owned by CompiledRules.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "lb/router/key_trie.hpp"
#include "lb/router/request.hpp"
#include "lb/router/rule_conditions.hpp"

namespace tern::router {

class RuleIndex {
 public:
  static constexpr size_t kNoMatch = SIZE_MAX;
  static constexpr size_t kMinAffix = 2;

  // `rules` in priority order (rule number = position).
  static RuleIndex build(const std::vector<RuleConditions>& rules);

  // Lowest rule number whose conditions hold, or kNoMatch.
  size_t first_match(const Request& request, const std::vector<RuleConditions>& rules) const;

  struct Stats {
    size_t by_host = 0;
    size_t by_path = 0;
    size_t unindexed = 0;
  };
  Stats stats() const { return stats_; }

 private:
  void record(size_t rule, RuleConditions::Known filed_under);

  KeyTrie host_prefix_;              // exact hosts and literal heads of host patterns
  KeyTrie host_suffix_;              // reversed literal tails ("*.example.com")
  KeyTrie path_prefix_;              // exact paths and literal heads ("/users/*")
  KeyTrie path_suffix_;              // reversed literal tails ("*.jpg")
  std::vector<uint32_t> unindexed_;  // items (see rule_index.cpp)
  std::vector<RuleConditions::Known> filed_under_;  // per rule: the condition it is filed by
  Stats stats_;
};

}  // namespace tern::router
