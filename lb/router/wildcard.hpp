// ALB wildcard patterns: `*` matches any run of characters (also none), `?` exactly one,
// and the pattern must match the whole text (spec/config.md, "Matching, exactly").
//
// Compiled once per snapshot into a shape the matcher can take a shortcut on: exact,
// literal prefix ("/users/*"), literal suffix ("*.example.com"), anything ("*"), or the
// general greedy-with-backtrack algorithm (O(text * pattern) worst case; patterns are at
// most 128 characters by config validation).
//
// Thread affinity: immutable after compile; matched from any thread. Ownership: value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tern::router {

struct WildcardOptions {
  bool case_insensitive = false;   // pattern lower-cased at compile, text per character
  bool backslash_escapes = false;  // query_string: "\*" "\?" "\\" are literal characters
  bool percent_decode = false;     // query_string: "%XX" in the pattern is one literal byte
};

class Wildcard {
 public:
  static Wildcard compile(std::string_view pattern, WildcardOptions options = {});

  bool matches(std::string_view text) const;

  // No wildcard at all: matches exactly `literal_prefix()`.
  bool is_exact() const { return shape_ == Shape::kExact; }
  // "literal*" / "*literal": a text matches iff it starts / ends with the literal.
  bool is_prefix_only() const { return shape_ == Shape::kPrefix; }
  bool is_suffix_only() const { return shape_ == Shape::kSuffix; }
  // Literal characters before the first / after the last wildcard (lower-cased when
  // case-insensitive): every matching text starts / ends with them. Used to index rules.
  std::string_view literal_prefix() const { return prefix_; }
  std::string_view literal_suffix() const { return suffix_; }

 private:
  enum class Shape : uint8_t { kExact, kPrefix, kSuffix, kAny, kGeneral };
  static constexpr uint16_t kStar = 256;
  static constexpr uint16_t kOne = 257;

  void classify();
  bool match_general(std::string_view text) const;
  bool equal(char pattern_char, char text_char) const {
    return pattern_char == (icase_ ? lower(text_char) : text_char);
  }
  static char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
  bool equal_run(std::string_view literal, std::string_view text) const;

  Shape shape_ = Shape::kExact;
  bool icase_ = false;
  std::string prefix_;
  std::string suffix_;
  std::vector<uint16_t> tokens_;  // bytes 0..255, kStar, kOne
};

}  // namespace tern::router
