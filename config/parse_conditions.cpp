// Rule conditions: host_header, path_pattern, http_header, http_request_method,
// query_string, source_ip; wildcard `values` or RE2 `regex_values`.
#include "config/address.hpp"
#include "config/parsers.hpp"

namespace tern::config {
namespace {

using Check = SyntaxError (*)(std::string_view);

std::vector<std::string> read_values(Context& ctx, const Field& field, Check check) {
  std::vector<std::string> values;
  auto items = read_list(ctx, field, true);
  if (!items) return values;
  if (items->empty()) ctx.error(field.mark, field.key + ": expected at least one value");
  for (const Field& item : *items) {
    if (auto value = read_checked(ctx, item, check)) values.push_back(*value);
  }
  return values;
}

SyntaxError check_regex(std::string_view) {
  return std::nullopt;
}

// `values` or `regex_values` of a condition map (exactly one of them).
MatchValues read_match_map(Context& ctx, const MapReader& map, const Field& field, Check check) {
  MatchValues match;
  match.mark = field.mark;
  auto values = map.get("values");
  auto regex_values = map.get("regex_values");
  if (map.ok() && values.has_value() == regex_values.has_value()) {
    ctx.error(field.mark, field.key + ": expected exactly one of 'values' and 'regex_values'");
  }
  if (values) match.values = read_values(ctx, *values, check);
  // RE2 syntax is checked by the router, which compiles them; here: non-empty strings.
  if (regex_values) match.regex_values = read_values(ctx, *regex_values, check_regex);
  return match;
}

MatchValues read_match(Context& ctx, const Field& field, Check check) {
  if (!field.value.IsMap()) {
    MatchValues match;
    match.mark = field.mark;
    match.values = read_values(ctx, field, check);
    return match;
  }
  MapReader map(ctx, field, "in " + field.key, {"values", "regex_values"});
  return read_match_map(ctx, map, field, check);
}

HeaderCondition read_header(Context& ctx, const Field& field) {
  MapReader map(ctx, field, "in http_header", {"name", "values", "regex_values"});
  HeaderCondition header;
  if (!map.ok()) return header;
  if (auto name = map.require("name"))
    set(header.name, read_checked(ctx, *name, check_header_name));
  header.match = read_match_map(ctx, map, field, check_header_value_pattern);
  return header;
}

std::vector<HeaderCondition> read_headers(Context& ctx, const Field& field) {
  if (!field.value.IsSequence()) return {read_header(ctx, field)};
  std::vector<HeaderCondition> headers;
  auto items = read_list(ctx, field);
  if (items && items->empty()) ctx.error(field.mark, "http_header: expected at least one map");
  for (const Field& item : items.value_or(std::vector<Field>{})) {
    headers.push_back(read_header(ctx, item));
  }
  return headers;
}

SyntaxError check_query_key(std::string_view text) {
  return check_query_pattern(text, true);
}
SyntaxError check_query_value(std::string_view text) {
  return check_query_pattern(text, false);
}

QueryCondition read_query_pair(Context& ctx, const Field& field) {
  MapReader map(ctx, field, "in query_string", {"key", "value"});
  QueryCondition pair{std::nullopt, "", field.mark};
  if (!map.ok()) return pair;
  if (auto key = map.get("key")) pair.key = read_checked(ctx, *key, check_query_key);
  if (auto value = map.require("value"))
    set(pair.value, read_checked(ctx, *value, check_query_value));
  return pair;
}

std::vector<QueryCondition> read_query(Context& ctx, const Field& field) {
  if (field.value.IsMap()) return {read_query_pair(ctx, field)};
  std::vector<QueryCondition> pairs;
  auto items = read_list(ctx, field);
  if (items && items->empty()) ctx.error(field.mark, "query_string: expected at least one pair");
  for (const Field& item : items.value_or(std::vector<Field>{})) {
    pairs.push_back(read_query_pair(ctx, item));
  }
  return pairs;
}

SyntaxError check_source(std::string_view text) {
  if (auto error = check_cidr(text)) {
    return *error + "; expected a CIDR block such as 10.0.0.0/8 or 2001:db8::/32";
  }
  return std::nullopt;
}

}  // namespace

Conditions parse_conditions(Context& ctx, const Field& field) {
  MapReader map(ctx, field, "in conditions",
                {"host_header", "path_pattern", "http_header", "http_request_method",
                 "query_string", "source_ip"});
  Conditions conditions;
  conditions.mark = map.mark();
  if (!map.ok()) return conditions;
  if (auto f = map.get("host_header"))
    conditions.host_header = read_match(ctx, *f, check_host_pattern);
  if (auto f = map.get("path_pattern"))
    conditions.path_pattern = read_match(ctx, *f, check_path_pattern);
  if (auto f = map.get("http_header")) conditions.http_header = read_headers(ctx, *f);
  if (auto f = map.get("http_request_method")) {
    conditions.http_request_method = read_values(ctx, *f, check_method);
  }
  if (auto f = map.get("query_string")) conditions.query_string = read_query(ctx, *f);
  if (auto f = map.get("source_ip")) conditions.source_ip = read_values(ctx, *f, check_source);
  if (!field.value.IsMap() || field.value.size() == 0) {
    ctx.error(field.mark,
              "conditions: a rule needs at least one condition; expected one or more "
              "of: host_header, path_pattern, http_header, http_request_method, "
              "query_string, source_ip");
  }
  return conditions;
}

}  // namespace tern::config
