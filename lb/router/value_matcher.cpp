#include "lb/router/value_matcher.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <functional>

#include "lb/router/normalize.hpp"

namespace tern::router {

ValueMatcher::ValueMatcher() = default;
ValueMatcher::ValueMatcher(ValueMatcher&&) noexcept = default;
ValueMatcher& ValueMatcher::operator=(ValueMatcher&&) noexcept = default;
ValueMatcher::~ValueMatcher() = default;

ValueMatcher ValueMatcher::compile(const config::MatchValues& values, Kind kind,
                                   std::vector<CompileError>& errors) {
  ValueMatcher m;
  for (const std::string& value : values.values) {
    if (kind == Kind::kPath) {
      m.wildcards_.push_back(Wildcard::compile(normalize_escapes(value)));
    } else {
      m.wildcards_.push_back(Wildcard::compile(value, {.case_insensitive = true}));
    }
  }
  // Host and path texts arrive normalized (the host lower-cased), so their exact values
  // compare byte for byte: a sorted list answers thousands of them in a binary search.
  // Header values compare case-insensitively and stay with the wildcards.
  for (uint32_t i = 0; i < m.wildcards_.size(); ++i) {
    if (m.wildcards_[i].is_exact() && kind != Kind::kHeader) {
      m.exact_.emplace_back(m.wildcards_[i].literal_prefix());
    } else {
      m.others_.push_back(i);
    }
  }
  std::sort(m.exact_.begin(), m.exact_.end());
  m.compile_regexes(values, kind, errors);
  return m;
}

void ValueMatcher::compile_regexes(const config::MatchValues& values, Kind kind,
                                   std::vector<CompileError>& errors) {
  for (const std::string& expression : values.regex_values) {
    RE2::Options options;
    options.set_log_errors(false);
    options.set_case_sensitive(kind == Kind::kPath);
    auto re = std::make_unique<RE2>(expression, options);
    if (!re->ok()) {
      errors.push_back({values.mark, "regex_values: invalid regular expression \"" + expression +
                                         "\": " + re->error()});
      continue;
    }
    regex_prefixes_.push_back(kind == Kind::kPath ? required_prefix(*re, expression) : "");
    regexes_.push_back(std::move(re));
  }
}

std::string required_prefix(const RE2& regex, std::string_view expression) {
  if (expression.empty() || expression.front() != '^' ||
      expression.find('|') != std::string_view::npos ||
      expression.find("(?") != std::string_view::npos || !regex.options().case_sensitive()) {
    return "";
  }
  std::string min;
  std::string max;
  if (!regex.PossibleMatchRange(&min, &max, 128)) return "";
  size_t n = 0;
  while (n < min.size() && n < max.size() && min[n] == max[n]) ++n;
  min.resize(n);
  return min;
}

bool ValueMatcher::matches(std::string_view text) const {
  if (!exact_.empty() && std::binary_search(exact_.begin(), exact_.end(), text, std::less<>())) {
    return true;
  }
  for (const uint32_t i : others_) {
    if (wildcards_[i].matches(text)) return true;
  }
  for (const auto& re : regexes_) {
    if (RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re)) return true;
  }
  return false;
}

}  // namespace tern::router
