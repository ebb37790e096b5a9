// The conditions of one rule, compiled: all listed conditions must hold (AND), the values
// within one condition are alternatives (OR), a list of http_header maps is AND-ed
// (spec/config.md, "rules" and "Matching, exactly").
//
// Thread affinity: compiled on the control thread, then immutable and evaluated by every
// worker concurrently. Ownership: value (movable), owned by CompiledRules.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "lb/router/compile_error.hpp"
#include "lb/router/ip_address.hpp"
#include "lb/router/query_matcher.hpp"
#include "lb/router/request.hpp"
#include "lb/router/value_matcher.hpp"

namespace tern::router {

class RuleConditions {
 public:
  static RuleConditions compile(const config::Conditions& conditions,
                                std::vector<CompileError>& errors);

  // Conditions the caller already knows to hold (the rule index, when the key a rule was
  // found under decides that condition by itself).
  enum class Known : uint8_t { kNone, kHost, kPath };

  bool matches(const Request& request, Known known = Known::kNone) const;

  // For the rule index: the host and path conditions, when present.
  const ValueMatcher* host() const { return host_ ? &*host_ : nullptr; }
  const ValueMatcher* path() const { return path_ ? &*path_ : nullptr; }

 private:
  struct Header {
    std::string name;
    ValueMatcher values;
  };

  bool header_matches(const Header& header, const Request& request) const;
  bool source_matches(const IpAddress& peer) const;

  std::vector<std::string> methods_;
  std::optional<ValueMatcher> host_;
  std::optional<ValueMatcher> path_;
  std::vector<Cidr> sources_;
  std::vector<Header> headers_;
  std::optional<QueryMatcher> query_;
};

}  // namespace tern::router
