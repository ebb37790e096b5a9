#include "config/yaml_reader.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "config/text.hpp"
#include "config/units.hpp"

namespace tern::config {
namespace {

// yaml-cpp gives an empty value the position of the token after it: use the key's.
Mark value_mark(const YAML::Node& value, Mark key_mark) {
  if (value.IsNull()) return key_mark;
  const YAML::Mark mark = value.Mark();
  if (mark.is_null()) return key_mark;
  return to_mark(mark);
}

// The scalar text of a field, or an error naming what was expected.
std::optional<std::string> scalar(Context& ctx, const Field& field, std::string_view expected) {
  if (field.value.IsScalar()) return field.value.Scalar();
  ctx.error(field.mark,
            field.key + ": expected " + std::string(expected) + ", got " + describe(field.value));
  return std::nullopt;
}

std::string range_text(int64_t low, int64_t high) {
  return std::to_string(low) + ".." + std::to_string(high);
}

}  // namespace

Mark to_mark(const YAML::Mark& mark) {
  if (mark.is_null()) return Mark{};
  return Mark{mark.line + 1, mark.column + 1};
}

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return quote(node.Scalar());
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a map";
    default:
      return "nothing";
  }
}

std::string join(const std::vector<std::string_view>& names) {
  std::string out;
  for (std::string_view name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

Field root_field(const YAML::Node& root) {
  const Mark at{1, 1};
  return Field{"top level", at, root, value_mark(root, at)};
}

MapReader::MapReader(Context& ctx, const Field& field, std::string where,
                     std::initializer_list<std::string_view> keys)
    : ctx_(ctx), where_(std::move(where)), mark_(field.mark) {
  if (field.value.IsNull()) return;
  if (!field.value.IsMap()) {
    ctx.error(field.mark, field.key + ": expected a map, got " + describe(field.value));
    ok_ = false;
    return;
  }
  const std::vector<std::string_view> allowed(keys);
  for (auto it = field.value.begin(); it != field.value.end(); ++it) {
    add(it->first, it->second, allowed);
  }
}

void MapReader::add(const YAML::Node& key, const YAML::Node& value,
                    const std::vector<std::string_view>& allowed) {
  const Mark at = to_mark(key.Mark());
  if (!key.IsScalar()) {
    ctx_.error(at, "a key must be a plain name, not " + describe(key) + " (" + where_ + ")");
    return;
  }
  const std::string& name = key.Scalar();
  if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
    ctx_.error(at,
               "unknown key " + quote(name) + " " + where_ + "; expected one of: " + join(allowed));
    return;
  }
  if (const Field* first = find(name)) {
    ctx_.error(at, "duplicate key " + quote(name) + " " + where_ + " (first given at line " +
                       std::to_string(first->key_mark.line) + ")");
    return;
  }
  fields_.push_back(Field{name, at, value, value_mark(value, at)});
}

const Field* MapReader::find(std::string_view key) const {
  for (const Field& field : fields_) {
    if (field.key == key) return &field;
  }
  return nullptr;
}

std::optional<Field> MapReader::get(std::string_view key) const {
  if (const Field* field = find(key)) return *field;
  return std::nullopt;
}

std::optional<Field> MapReader::require(std::string_view key) const {
  if (const Field* field = find(key)) return *field;
  if (ok_) ctx_.error(mark_, "missing required key " + quote(key) + " " + where_);
  return std::nullopt;
}

std::optional<std::vector<Field>> read_list(Context& ctx, const Field& field, bool scalar_ok) {
  if (scalar_ok && field.value.IsScalar()) return std::vector<Field>{field};
  if (!field.value.IsSequence()) {
    ctx.error(field.mark, field.key + ": expected a list, got " + describe(field.value));
    return std::nullopt;
  }
  std::vector<Field> items;
  for (const YAML::Node& item : field.value) {
    const Mark at = value_mark(item, field.mark);
    items.push_back(Field{field.key, at, item, at});
  }
  return items;
}

std::optional<std::string> read_string(Context& ctx, const Field& field) {
  return scalar(ctx, field, "a string");
}

std::optional<std::string> read_name(Context& ctx, const Field& field) {
  auto text = scalar(ctx, field, "a non-empty string");
  if (text && text->empty()) {
    ctx.error(field.mark, field.key + ": must not be empty");
    return std::nullopt;
  }
  return text;
}

std::optional<int64_t> read_int(Context& ctx, const Field& field, int64_t low, int64_t high) {
  const std::string expected = "an integer " + range_text(low, high);
  auto text = scalar(ctx, field, expected);
  if (!text) return std::nullopt;
  int64_t value = 0;
  const char* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (text->empty() || ptr != end || (ec != std::errc() && ec != std::errc::result_out_of_range)) {
    ctx.error(field.mark,
              field.key + ": invalid integer " + quote(*text) + "; expected " + expected);
    return std::nullopt;
  }
  if (ec == std::errc::result_out_of_range || value < low || value > high) {
    ctx.error(field.mark,
              field.key + ": " + *text + " is out of range; expected " + range_text(low, high));
    return std::nullopt;
  }
  return value;
}

std::optional<bool> read_bool(Context& ctx, const Field& field) {
  auto text = scalar(ctx, field, "true or false");
  if (!text) return std::nullopt;
  std::string lower = *text;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "true") return true;
  if (lower == "false") return false;
  ctx.error(field.mark, field.key + ": invalid value " + quote(*text) + "; expected true or false");
  return std::nullopt;
}

std::optional<Duration> read_duration(Context& ctx, const Field& field, Duration low, Duration high,
                                      std::string_view range_text) {
  auto text = scalar(ctx, field, "a duration");
  if (!text) return std::nullopt;
  const std::string range =
      range_text.empty() ? format_duration_range(low, high) : std::string(range_text);
  auto value = parse_duration(*text);
  if (!value && !has_duration_syntax(*text)) {
    const bool negative = !text->empty() && text->front() == '-';
    ctx.error(field.mark, field.key + ": invalid duration " + quote(*text) + "; expected " +
                              (negative ? range : std::string(kDurationSyntax)));
    return std::nullopt;
  }
  if (!value || *value < low || *value > high) {
    ctx.error(field.mark, field.key + ": " + *text + " is out of range; expected " + range);
    return std::nullopt;
  }
  return value;
}

std::optional<uint64_t> read_size(Context& ctx, const Field& field, uint64_t low, uint64_t high) {
  auto text = scalar(ctx, field, "a size");
  if (!text) return std::nullopt;
  const std::string range = high == UINT64_MAX ? "at least " + format_size(low)
                                               : format_size(low) + ".." + format_size(high);
  auto value = parse_size(*text);
  if (!value && !has_size_syntax(*text)) {
    const bool negative = !text->empty() && text->front() == '-';
    ctx.error(field.mark, field.key + ": invalid size " + quote(*text) + "; expected " +
                              (negative ? range : std::string(kSizeSyntax)));
    return std::nullopt;
  }
  if (!value || *value < low || *value > high) {
    ctx.error(field.mark, field.key + ": " + *text + " is out of range; expected " + range);
    return std::nullopt;
  }
  return value;
}

}  // namespace tern::config
