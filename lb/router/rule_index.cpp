#include "lb/router/rule_index.hpp"

#include <map>
#include <optional>
#include <span>
#include <string>
#include <tuple>

namespace tern::router {
namespace {

enum Trie { kHostPrefix, kHostSuffix, kPathPrefix, kPathSuffix };

struct Key {
  Trie trie;
  std::string text;  // in walk order (reversed for suffix tries)
  bool exact;
  bool decides;  // reaching the key proves the value matches ("/users/*", not "/a?c/*")
  bool operator<(const Key& o) const {
    return std::tie(trie, text, exact) < std::tie(o.trie, o.text, o.exact);
  }
};

// The keys of one condition, or nullopt when it cannot be indexed.
std::optional<std::vector<Key>> keys_of(const ValueMatcher* values, bool host) {
  if (values == nullptr) return std::nullopt;
  std::vector<Key> keys;
  for (const std::string& prefix : values->regex_prefixes()) {
    if (prefix.size() < RuleIndex::kMinAffix) return std::nullopt;
    keys.push_back({host ? kHostPrefix : kPathPrefix, prefix, false, false});
  }
  for (const Wildcard& w : values->wildcards()) {
    const std::string_view prefix = w.literal_prefix();
    const std::string_view suffix = w.literal_suffix();
    if (w.is_exact()) {
      keys.push_back({host ? kHostPrefix : kPathPrefix, std::string(prefix), true, true});
    } else if (prefix.size() >= suffix.size() && prefix.size() >= RuleIndex::kMinAffix) {
      keys.push_back(
          {host ? kHostPrefix : kPathPrefix, std::string(prefix), false, w.is_prefix_only()});
    } else if (suffix.size() > prefix.size() && suffix.size() >= RuleIndex::kMinAffix) {
      keys.push_back({host ? kHostSuffix : kPathSuffix, std::string(suffix.rbegin(), suffix.rend()),
                      false, w.is_suffix_only()});
    } else {
      return std::nullopt;  // "*", "/*", "?x*": checked for every request anyway
    }
  }
  if (keys.empty()) return std::nullopt;
  return keys;
}

size_t cost(const std::vector<Key>& keys, const std::map<Key, size_t>& shared) {
  size_t total = 0;
  for (const Key& k : keys) total += shared.at(k);
  return total;
}

// The condition a rule is filed by: host or path, whichever has keys fewer other rules
// share; kNone (the unindexed list) when neither can be indexed.
RuleConditions::Known choose(const std::optional<std::vector<Key>>& host,
                             const std::optional<std::vector<Key>>& path,
                             const std::map<Key, size_t>& shared) {
  if (host && (!path || cost(*host, shared) <= cost(*path, shared))) {
    return RuleConditions::Known::kHost;
  }
  return path ? RuleConditions::Known::kPath : RuleConditions::Known::kNone;
}

// A list item: the rule number, and whether the key it is filed under decides the
// condition it is filed by. Ordered by rule number like the rules themselves.
uint32_t item(size_t rule, bool decides) {
  return static_cast<uint32_t>(rule << 1) | (decides ? 1u : 0u);
}

}  // namespace

RuleIndex RuleIndex::build(const std::vector<RuleConditions>& rules) {
  std::vector<std::optional<std::vector<Key>>> host_keys;
  std::vector<std::optional<std::vector<Key>>> path_keys;
  std::map<Key, size_t> shared;  // how many rules file a value under each key
  for (const RuleConditions& rule : rules) {
    host_keys.push_back(keys_of(rule.host(), true));
    path_keys.push_back(keys_of(rule.path(), false));
    for (const auto* keys : {&host_keys.back(), &path_keys.back()}) {
      if (*keys) {
        for (const Key& k : **keys) ++shared[k];
      }
    }
  }
  RuleIndex index;
  std::vector<KeyTrie::Entry> entries[4];
  for (size_t r = 0; r < rules.size(); ++r) {
    const auto filed = choose(host_keys[r], path_keys[r], shared);
    index.record(r, filed);
    if (filed == RuleConditions::Known::kNone) continue;
    const auto& chosen = filed == RuleConditions::Known::kHost ? *host_keys[r] : *path_keys[r];
    for (const Key& k : chosen) entries[k.trie].push_back({k.text, k.exact, item(r, k.decides)});
  }
  index.host_prefix_ = KeyTrie::build(std::move(entries[kHostPrefix]));
  index.host_suffix_ = KeyTrie::build(std::move(entries[kHostSuffix]));
  index.path_prefix_ = KeyTrie::build(std::move(entries[kPathPrefix]));
  index.path_suffix_ = KeyTrie::build(std::move(entries[kPathSuffix]));
  return index;
}

void RuleIndex::record(size_t rule, RuleConditions::Known filed_under) {
  filed_under_.push_back(filed_under);
  switch (filed_under) {
    case RuleConditions::Known::kHost:
      ++stats_.by_host;
      break;
    case RuleConditions::Known::kPath:
      ++stats_.by_path;
      break;
    case RuleConditions::Known::kNone:
      unindexed_.push_back(item(rule, false));
      ++stats_.unindexed;
      break;
  }
}

size_t RuleIndex::first_match(const Request& request,
                              const std::vector<RuleConditions>& rules) const {
  size_t best = kNoMatch;
  // Each list is ascending: stop at the first match in it or at the best match so far.
  auto check = [&](std::span<const uint32_t> list) {
    for (const uint32_t item : list) {
      const size_t r = item >> 1;
      if (r >= best) return;
      const auto known = (item & 1) != 0 ? filed_under_[r] : RuleConditions::Known::kNone;
      if (rules[r].matches(request, known)) {
        best = r;
        return;
      }
    }
  };
  host_prefix_.walk<false>(request.host, check);
  host_suffix_.walk<true>(request.host, check);
  path_prefix_.walk<false>(request.path, check);
  path_suffix_.walk<true>(request.path, check);
  check(unindexed_);
  return best;
}

}  // namespace tern::router
