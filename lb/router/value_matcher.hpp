// The values of one host_header, path_pattern or http_header condition: ALB wildcards or
// RE2 `regex_values`, OR-ed (spec/config.md, "Matching, exactly").
//  - host: case-insensitive wildcards over the normalized host; regexes case-insensitive.
//  - path: case-sensitive wildcards over the normalized path (the patterns get the same
//    percent-encoding normalization); regexes case-sensitive.
//  - header: case-insensitive wildcards and regexes over one header line's value.
// Regexes have search semantics (RE2::PartialMatch): write ^...$ for a whole match.
//
// Thread affinity: compiled on the control thread, then immutable; RE2 objects are safe
// for concurrent matching, so workers share one ValueMatcher. Ownership: owns its
// compiled patterns; movable, not copyable.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "lb/router/compile_error.hpp"
#include "lb/router/wildcard.hpp"

namespace re2 {
class RE2;
}

namespace tern::router {

class ValueMatcher {
 public:
  enum class Kind { kHost, kPath, kHeader };

  // Invalid regexes are appended to `errors` (at the condition's mark) and left out.
  static ValueMatcher compile(const config::MatchValues& values, Kind kind,
                              std::vector<CompileError>& errors);

  ValueMatcher();
  ValueMatcher(const ValueMatcher&) = delete;
  ValueMatcher& operator=(const ValueMatcher&) = delete;
  ValueMatcher(ValueMatcher&&) noexcept;
  ValueMatcher& operator=(ValueMatcher&&) noexcept;
  ~ValueMatcher();

  bool matches(std::string_view text) const;

  // Wildcard values (empty when the condition uses regex_values): the rule index reads
  // their literal prefixes and suffixes.
  const std::vector<Wildcard>& wildcards() const { return wildcards_; }
  bool uses_regex() const { return !regexes_.empty(); }
  // One per regex: a literal every matching text starts with, or "" when none is known.
  // Only path regexes anchored with a leading '^' get one (see required_prefix()).
  const std::vector<std::string>& regex_prefixes() const { return regex_prefixes_; }

 private:
  void compile_regexes(const config::MatchValues& values, Kind kind,
                       std::vector<CompileError>& errors);

  std::vector<Wildcard> wildcards_;  // every wildcard value, in config order
  std::vector<std::string> exact_;   // host/path values without wildcards, sorted
  std::vector<uint32_t> others_;     // indexes of the rest, checked one by one
  std::vector<std::unique_ptr<re2::RE2>> regexes_;
  std::vector<std::string> regex_prefixes_;
};

// The literal prefix of every text a case-sensitive regex can match (search semantics),
// or "" when it cannot be proven. Only for expressions that are plainly anchored at the
// start: a leading '^', no '|' anywhere (an alternative could drop the anchor) and no
// "(?" flag group (multi-line mode would let '^' match after a newline). For those,
// RE2::PossibleMatchRange bounds every match between min and max, and every string in
// that lexicographic interval starts with their common prefix.
std::string required_prefix(const re2::RE2& regex, std::string_view expression);

}  // namespace tern::router
