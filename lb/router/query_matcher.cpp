#include "lb/router/query_matcher.hpp"

#include <string>

#include "lb/router/normalize.hpp"

namespace tern::router {
namespace {

constexpr WildcardOptions kQueryPattern{
    .case_insensitive = true, .backslash_escapes = true, .percent_decode = true};

// A percent-decoded view of one key or value. Text without '%' (the common case) is not
// copied; short text is decoded on the stack, long text on the heap.
class Decoded {
 public:
  explicit Decoded(std::string_view raw) {
    if (raw.find('%') == std::string_view::npos) {
      view_ = raw;
      return;
    }
    char* out = stack_;
    if (raw.size() > sizeof(stack_)) {
      heap_.resize(raw.size());
      out = heap_.data();
    }
    size_t n = 0;
    for (size_t i = 0; i < raw.size(); ++i) {
      const int hi = raw[i] == '%' && i + 2 < raw.size() ? hex_digit(raw[i + 1]) : -1;
      const int lo = hi >= 0 ? hex_digit(raw[i + 2]) : -1;
      if (lo >= 0) {
        out[n++] = static_cast<char>(hi * 16 + lo);
        i += 2;
      } else {
        out[n++] = raw[i];  // an invalid escape is compared as written
      }
    }
    view_ = std::string_view(out, n);
  }
  Decoded(const Decoded&) = delete;
  Decoded& operator=(const Decoded&) = delete;

  std::string_view view() const { return view_; }

 private:
  char stack_[256];
  std::string heap_;
  std::string_view view_;
};

}  // namespace

QueryMatcher QueryMatcher::compile(const std::vector<config::QueryCondition>& pairs) {
  QueryMatcher m;
  for (const config::QueryCondition& pair : pairs) {
    Pair p{std::nullopt, Wildcard::compile(pair.value, kQueryPattern)};
    if (pair.key) p.key = Wildcard::compile(*pair.key, kQueryPattern);
    m.pairs_.push_back(std::move(p));
  }
  return m;
}

bool QueryMatcher::matches(std::string_view query, bool has_query) const {
  if (!has_query) return false;
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view piece = query.substr(start, end - start);
    start = end + 1;
    if (piece.empty()) continue;
    const size_t eq = piece.find('=');
    const Decoded key(piece.substr(0, eq));
    const Decoded value(eq == std::string_view::npos ? std::string_view{} : piece.substr(eq + 1));
    for (const Pair& p : pairs_) {
      if ((!p.key || p.key->matches(key.view())) && p.value.matches(value.view())) return true;
    }
  }
  return false;
}

}  // namespace tern::router
