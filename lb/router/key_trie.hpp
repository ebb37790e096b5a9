// A compressed trie (radix tree) from literal keys to lists of items (rule numbers, as the
// rule index encodes them), the building
// block of the rule index: a request's host or path is walked once, character by
// character, and every list whose key fits is visited. A key is either a prefix key (the
// text starts with it: the literal head of "/users/*") or an exact key (the text equals
// it: "api.example.com"). Suffix keys ("*.example.com") live in a second trie of reversed
// keys walked from the end of the text.
//
// The trie is built in one pass over the sorted keys (no per-character nodes): a node per
// branch point or key end, children sorted by first byte, everything in flat arrays.
//
// Thread affinity: built on the control thread, then immutable and walked by every worker
// concurrently. Ownership: value, owned by RuleIndex.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tern::router {

class KeyTrie {
 public:
  struct Entry {
    std::string key;  // already reversed for a suffix trie
    bool exact = false;
    uint32_t item = 0;
  };

  static KeyTrie build(std::vector<Entry> entries);

  bool empty() const { return nodes_.empty(); }
  size_t node_count() const { return nodes_.size(); }

  // Calls visit(std::span<const uint32_t>) with the item list (ascending, no duplicates)
  // of every prefix key that `text` starts with (ends with, when kReversed), shortest key
  // first, then of the exact key equal to `text`.
  template <bool kReversed, class Visit>
  void walk(std::string_view text, Visit&& visit) const {
    if (nodes_.empty()) return;
    const size_t n = text.size();
    auto at = [&](size_t i) -> uint8_t {
      return static_cast<uint8_t>(kReversed ? text[n - 1 - i] : text[i]);
    };
    uint32_t index = 0;
    size_t pos = 0;
    while (true) {
      const Node& node = nodes_[index];
      if (node.prefix_count != 0) visit(list(node.prefix_begin, node.prefix_count));
      if (pos == n) {
        if (node.exact_count != 0) visit(list(node.exact_begin, node.exact_count));
        return;
      }
      const uint32_t child = find_child(node, at(pos));
      if (child == kNone) return;
      const Node& next = nodes_[child];
      if (n - pos < next.label_len) return;
      for (uint32_t k = 1; k < next.label_len; ++k) {  // byte 0 matched by find_child
        if (static_cast<uint8_t>(labels_[next.label_begin + k]) != at(pos + k)) return;
      }
      pos += next.label_len;
      index = child;
    }
  }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;

  struct Node {
    uint32_t label_begin = 0;  // edge text from the parent, in labels_
    uint32_t label_len = 0;
    uint32_t child_begin = 0;  // in child_bytes_ / child_nodes_, sorted by byte
    uint32_t child_count = 0;
    uint32_t prefix_begin = 0;  // in items_
    uint32_t prefix_count = 0;
    uint32_t exact_begin = 0;
    uint32_t exact_count = 0;
  };

  uint32_t build_node(const std::vector<Entry>& entries, size_t lo, size_t hi, size_t depth,
                      std::string_view label);
  // Sorted, without duplicates; returns {begin, count} in items_.
  std::pair<uint32_t, uint32_t> append_list(std::vector<uint32_t> items);

  std::span<const uint32_t> list(uint32_t begin, uint32_t count) const {
    return {items_.data() + begin, count};
  }

  uint32_t find_child(const Node& node, uint8_t byte) const {
    const uint8_t* first = child_bytes_.data() + node.child_begin;
    const uint8_t* last = first + node.child_count;
    const uint8_t* it =
        node.child_count <= 8 ? std::find(first, last, byte) : std::lower_bound(first, last, byte);
    if (it == last || *it != byte) return kNone;
    return child_nodes_[node.child_begin + static_cast<uint32_t>(it - first)];
  }

  std::vector<Node> nodes_;
  std::string labels_;
  std::vector<uint8_t> child_bytes_;
  std::vector<uint32_t> child_nodes_;
  std::vector<uint32_t> items_;
};

}  // namespace tern::router
