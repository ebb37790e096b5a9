// The query_string condition (spec/config.md, "Matching, exactly"): the request query is
// split on '&', each piece on its first '=', key and value percent-decoded ('+' is not a
// space: RFC 3986, not HTML forms), then compared case-insensitively with wildcards;
// "\*" and "\?" in a pattern are literal characters. A piece without '=' ("?beta") is the
// key "beta" with an empty value; empty pieces ("a=1&&b=2") are skipped. The condition
// holds when any of its pairs matches any pair of the request; a pair without a key
// matches on the value alone. Patterns are percent-decoded too, so "a%26b" can ask for a
// literal '&'.
//
// Thread affinity: compiled on the control thread, then immutable and shared by workers.
// Ownership: value.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "lb/router/wildcard.hpp"

namespace tern::router {

class QueryMatcher {
 public:
  static QueryMatcher compile(const std::vector<config::QueryCondition>& pairs);

  // `query` is the raw query without '?'; `has_query` false means there is none at all.
  bool matches(std::string_view query, bool has_query) const;

 private:
  struct Pair {
    std::optional<Wildcard> key;
    Wildcard value;
  };
  std::vector<Pair> pairs_;
};

}  // namespace tern::router
