#include "lb/router/wildcard.hpp"

#include "lb/router/normalize.hpp"

namespace tern::router {
namespace {

bool is_escapable(char c) {
  return c == '*' || c == '?' || c == '\\';
}

}  // namespace

Wildcard Wildcard::compile(std::string_view pattern, WildcardOptions options) {
  Wildcard w;
  w.icase_ = options.case_insensitive;
  auto literal = [&](char c) {
    w.tokens_.push_back(static_cast<unsigned char>(w.icase_ ? lower(c) : c));
  };
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (options.backslash_escapes && c == '\\' && i + 1 < pattern.size() &&
        is_escapable(pattern[i + 1])) {
      literal(pattern[++i]);
    } else if (c == '*') {
      if (w.tokens_.empty() || w.tokens_.back() != kStar) w.tokens_.push_back(kStar);
    } else if (c == '?') {
      w.tokens_.push_back(kOne);
    } else if (options.percent_decode && c == '%' && i + 2 < pattern.size() &&
               hex_digit(pattern[i + 1]) >= 0 && hex_digit(pattern[i + 2]) >= 0) {
      literal(static_cast<char>(hex_digit(pattern[i + 1]) * 16 + hex_digit(pattern[i + 2])));
      i += 2;
    } else {
      literal(c);
    }
  }
  w.classify();
  return w;
}

// Literal ends for the index and the shape the matcher can take a shortcut on.
void Wildcard::classify() {
  size_t stars = 0;
  size_t ones = 0;
  size_t first_wild = tokens_.size();
  size_t last_wild = 0;
  for (size_t i = 0; i < tokens_.size(); ++i) {
    if (tokens_[i] < kStar) continue;
    (tokens_[i] == kStar ? stars : ones) += 1;
    if (first_wild == tokens_.size()) first_wild = i;
    last_wild = i;
  }
  for (size_t i = 0; i < first_wild; ++i) prefix_.push_back(static_cast<char>(tokens_[i]));
  if (first_wild == tokens_.size()) {
    shape_ = Shape::kExact;
    suffix_ = prefix_;
    return;
  }
  for (size_t i = last_wild + 1; i < tokens_.size(); ++i) {
    suffix_.push_back(static_cast<char>(tokens_[i]));
  }
  if (ones == 0 && stars == 1 && tokens_.size() == 1) {
    shape_ = Shape::kAny;
  } else if (ones == 0 && stars == 1 && first_wild == tokens_.size() - 1) {
    shape_ = Shape::kPrefix;
  } else if (ones == 0 && stars == 1 && first_wild == 0) {
    shape_ = Shape::kSuffix;
  } else {
    shape_ = Shape::kGeneral;
  }
}

bool Wildcard::equal_run(std::string_view literal, std::string_view text) const {
  if (!icase_) return literal == text;
  for (size_t i = 0; i < literal.size(); ++i) {
    if (!equal(literal[i], text[i])) return false;
  }
  return true;
}

bool Wildcard::matches(std::string_view text) const {
  switch (shape_) {
    case Shape::kExact:
      return text.size() == prefix_.size() && equal_run(prefix_, text);
    case Shape::kPrefix:
      return text.size() >= prefix_.size() && equal_run(prefix_, text.substr(0, prefix_.size()));
    case Shape::kSuffix:
      return text.size() >= suffix_.size() &&
             equal_run(suffix_, text.substr(text.size() - suffix_.size()));
    case Shape::kAny:
      return true;
    case Shape::kGeneral:
      break;
  }
  return match_general(text);
}

// Greedy match that remembers the last '*' and retries one character further on a
// mismatch: a later '*' makes backtracking to an earlier one unnecessary.
bool Wildcard::match_general(std::string_view text) const {
  const size_t n = text.size();
  const size_t m = tokens_.size();
  size_t p = 0;
  size_t t = 0;
  size_t star = m;  // none yet
  size_t resume = 0;
  while (t < n) {
    if (p < m && tokens_[p] == kStar) {
      star = p++;
      resume = t;
    } else if (p < m && (tokens_[p] == kOne ||
                         (tokens_[p] < kStar && equal(static_cast<char>(tokens_[p]), text[t])))) {
      ++p;
      ++t;
    } else if (star != m) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < m && tokens_[p] == kStar) ++p;
  return p == m;
}

}  // namespace tern::router
