// Reading yaml-cpp nodes into typed values while collecting errors with positions.
//
// Every reader reports what is wrong and what was expected at the value's 1-based
// position and returns nullopt, so parsing carries on and one run finds every error.
// `MapReader` rejects unknown and duplicate keys. Thread affinity: one loader call at a
// time. Ownership: a Context refers to the loader's Diagnostics and feature log; Fields
// hold yaml-cpp node handles (reference-counted) of the document being read.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/config.hpp"
#include "config/diagnostics.hpp"
#include "config/features.hpp"
#include "config/text.hpp"

namespace tern::config {

// What the parse functions share: where errors and feature uses go.
struct Context {
  Diagnostics& diag;
  std::vector<FeatureUse>& features;
  // The listener whose rules and actions are being read (checks such as redirect loops
  // depend on its protocol and port); null outside a listener.
  const Listener* listener = nullptr;

  void error(Mark at, std::string message) { diag.error(at, std::move(message)); }
  void use(Feature feature, Mark at) { features.push_back(FeatureUse{feature, at}); }
};

// One value to read: a map entry, or an item of a list (then `key` is the list's key).
struct Field {
  std::string key;
  Mark key_mark;
  YAML::Node value;
  Mark mark;  // the value's position; the key's position when the value is empty
};

Mark to_mark(const YAML::Mark& mark);

// "'text'", "a map", "a list" or "nothing": how an unexpected value is named.
std::string describe(const YAML::Node& node);

// The entries of a map node. Reports a wrong node type, unknown keys (listing the
// expected ones) and duplicate keys. An empty value (`limits:`) reads as an empty map.
class MapReader {
 public:
  // `where` completes "unknown key 'x' ...": e.g. "in listener", "at the top level".
  MapReader(Context& ctx, const Field& field, std::string where,
            std::initializer_list<std::string_view> keys);

  bool ok() const { return ok_; }
  Mark mark() const { return mark_; }
  bool has(std::string_view key) const { return find(key) != nullptr; }
  std::optional<Field> get(std::string_view key) const;
  // Like get, and reports "missing required key" at the map's position when absent.
  std::optional<Field> require(std::string_view key) const;

 private:
  const Field* find(std::string_view key) const;
  void add(const YAML::Node& key, const YAML::Node& value,
           const std::vector<std::string_view>& allowed);

  Context& ctx_;
  std::string where_;
  Mark mark_;
  bool ok_ = true;
  std::vector<Field> fields_;
};

// The root of a document as a Field (key "top level").
Field root_field(const YAML::Node& root);

// Items of a list; with `scalar_ok` a single scalar reads as a one-item list.
// nullopt (and an error) when the value is neither.
std::optional<std::vector<Field>> read_list(Context& ctx, const Field& field,
                                            bool scalar_ok = false);

std::optional<std::string> read_string(Context& ctx, const Field& field);
// A string that must not be empty.
std::optional<std::string> read_name(Context& ctx, const Field& field);
std::optional<int64_t> read_int(Context& ctx, const Field& field, int64_t low, int64_t high);
std::optional<bool> read_bool(Context& ctx, const Field& field);
// `range` replaces the "LOW..HIGH" of messages when the valid set is not one range.
std::optional<Duration> read_duration(Context& ctx, const Field& field, Duration low, Duration high,
                                      std::string_view range = {});
std::optional<uint64_t> read_size(Context& ctx, const Field& field, uint64_t low, uint64_t high);

template <class E>
using EnumTable = std::initializer_list<std::pair<std::string_view, E>>;

// Joins the names of a table or key list: "a, b, c".
std::string join(const std::vector<std::string_view>& names);

template <class E>
std::optional<E> read_enum(Context& ctx, const Field& field, EnumTable<E> table) {
  auto text = read_string(ctx, field);
  if (!text) return std::nullopt;
  std::vector<std::string_view> names;
  for (const auto& [name, value] : table) {
    if (*text == name) return value;
    names.push_back(name);
  }
  ctx.error(field.mark,
            field.key + ": invalid value " + quote(*text) + "; expected one of: " + join(names));
  return std::nullopt;
}

// Assigns when the reader produced a value (errors were already reported otherwise).
template <class T, class U>
void set(T& out, const std::optional<U>& value) {
  if (value) out = static_cast<T>(*value);
}

}  // namespace tern::config
