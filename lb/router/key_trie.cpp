#include "lb/router/key_trie.hpp"

#include <tuple>
#include <utility>

namespace tern::router {
namespace {

size_t common_prefix(std::string_view a, std::string_view b) {
  const size_t n = std::min(a.size(), b.size());
  size_t i = 0;
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

}  // namespace

KeyTrie KeyTrie::build(std::vector<Entry> entries) {
  KeyTrie trie;
  if (entries.empty()) return trie;
  // std::string compares bytes as unsigned char, the order find_child searches in.
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.key, a.exact, a.item) < std::tie(b.key, b.exact, b.item);
  });
  trie.build_node(entries, 0, entries.size(), 0, {});
  return trie;
}

// Builds the node for entries [lo, hi), which all share their first `depth` bytes; in a
// sorted range every key is at least as long as the common prefix of the first and last.
uint32_t KeyTrie::build_node(const std::vector<Entry>& entries, size_t lo, size_t hi, size_t depth,
                             std::string_view label) {
  const auto index = static_cast<uint32_t>(nodes_.size());
  nodes_.emplace_back();
  std::vector<uint32_t> exact;
  std::vector<uint32_t> prefix;
  size_t i = lo;
  for (; i < hi && entries[i].key.size() == depth; ++i) {
    (entries[i].exact ? exact : prefix).push_back(entries[i].item);
  }
  std::vector<std::pair<uint8_t, uint32_t>> children;
  while (i < hi) {
    const char byte = entries[i].key[depth];
    size_t j = i;
    while (j < hi && entries[j].key[depth] == byte) ++j;
    const size_t end = common_prefix(entries[i].key, entries[j - 1].key);
    const std::string_view edge = std::string_view(entries[i].key).substr(depth, end - depth);
    children.emplace_back(static_cast<uint8_t>(byte), build_node(entries, i, j, end, edge));
    i = j;
  }
  Node& node = nodes_[index];
  node.label_begin = static_cast<uint32_t>(labels_.size());
  node.label_len = static_cast<uint32_t>(label.size());
  labels_.append(label);
  node.child_begin = static_cast<uint32_t>(child_bytes_.size());
  node.child_count = static_cast<uint32_t>(children.size());
  for (const auto& [b, child] : children) {
    child_bytes_.push_back(b);
    child_nodes_.push_back(child);
  }
  std::tie(node.prefix_begin, node.prefix_count) = append_list(std::move(prefix));
  std::tie(node.exact_begin, node.exact_count) = append_list(std::move(exact));
  return index;
}

std::pair<uint32_t, uint32_t> KeyTrie::append_list(std::vector<uint32_t> items) {
  std::sort(items.begin(), items.end());
  items.erase(std::unique(items.begin(), items.end()), items.end());
  const auto begin = static_cast<uint32_t>(items_.size());
  items_.insert(items_.end(), items.begin(), items.end());
  return {begin, static_cast<uint32_t>(items.size())};
}

}  // namespace tern::router
