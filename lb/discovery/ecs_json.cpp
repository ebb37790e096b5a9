#include "lb/discovery/ecs_json.hpp"

#include <boost/json.hpp>

namespace tern::discovery::ecs_json {

namespace json = boost::json;

std::string_view kind_name(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
      return "an integer";
    case json::kind::double_:
      return "a number with a fraction or exponent";
    case json::kind::string:
      return "a string";
    case json::kind::array:
      return "an array";
    case json::kind::object:
      return "an object";
  }
  return "a value";
}

std::string parse(std::string_view text, size_t max_bytes, size_t max_depth, json::value& out) {
  if (text.size() > max_bytes) {
    return "over " + std::to_string(max_bytes) + " bytes (" + std::to_string(text.size()) + ")";
  }
  json::parse_options options;
  options.max_depth = max_depth;
  json::stream_parser parser({}, options);
  boost::system::error_code ec;
  const size_t consumed = parser.write(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec == json::error::incomplete) {
    return text.empty()
               ? "empty; expected JSON"
               : "truncated: the JSON ends after " + std::to_string(text.size()) + " bytes";
  }
  if (ec == json::error::too_deep) {
    return "nested deeper than " + std::to_string(max_depth) + " levels";
  }
  if (ec) return "not valid JSON at offset " + std::to_string(consumed) + ": " + ec.message();
  out = parser.release();
  return {};
}

const json::object* as_object(const json::value& v, const std::string& where, std::string& error) {
  if (v.is_object()) return &v.as_object();
  error = where + ": expected an object, got " + std::string(kind_name(v));
  return nullptr;
}

namespace {

std::string member(const std::string& where, std::string_view key) {
  return where.empty() ? std::string(key) : where + "." + std::string(key);
}

}  // namespace

std::string read_string(const json::object& o, std::string_view key, const std::string& where,
                        std::string& out) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return member(where, key) + ": missing";
  if (!v->is_string()) {
    return member(where, key) + ": expected a string, got " + std::string(kind_name(*v));
  }
  out = std::string(v->as_string());
  return {};
}

std::string read_optional_string(const json::object& o, std::string_view key,
                                 const std::string& where, std::optional<std::string>& out) {
  const json::value* v = o.if_contains(key);
  out.reset();
  if (v == nullptr || v->is_null()) return {};
  if (!v->is_string()) {
    return member(where, key) + ": expected a string, got " + std::string(kind_name(*v));
  }
  out = std::string(v->as_string());
  return {};
}

std::string read_optional_integer(const json::object& o, std::string_view key,
                                  const std::string& where, std::optional<int64_t>& out) {
  const json::value* v = o.if_contains(key);
  out.reset();
  if (v == nullptr || v->is_null()) return {};
  if (v->is_int64()) {
    out = v->as_int64();
    return {};
  }
  if (v->is_uint64()) return member(where, key) + ": " + json::serialize(*v) + " is out of range";
  return member(where, key) + ": expected an integer, got " + std::string(kind_name(*v));
}

const json::array* read_optional_array(const json::object& o, std::string_view key,
                                       const std::string& where, std::string& error) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return nullptr;
  if (v->is_array()) return &v->as_array();
  error = member(where, key) + ": expected an array, got " + std::string(kind_name(*v));
  return nullptr;
}

}  // namespace tern::discovery::ecs_json
