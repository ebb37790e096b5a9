// Small Boost.JSON reading helpers shared by the ECS decoders (answers, events) and the
// state file: parsing with size and depth limits, and reading typed members with clean errors
// naming where the problem is ("tasks[2].containers[0].name: expected a string, got an integer").
// Unknown keys are never an error here: AWS adds fields to its shapes.
//
// Thread affinity: none (pure functions). Ownership: values only.
#pragma once

#include <boost/json/value.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tern::discovery::ecs_json {

// "a string", "an integer", "an object", ...
std::string_view kind_name(const boost::json::value& v);

// Parses `text` into `out`; "" or the error ("empty", "truncated: ...", "not valid JSON at
// offset N: ...", "nested deeper than N levels", "over N bytes").
std::string parse(std::string_view text, size_t max_bytes, size_t max_depth,
                  boost::json::value& out);

// The object at `v`, or nullptr and `error` set ("where: expected an object, got ...").
const boost::json::object* as_object(const boost::json::value& v, const std::string& where,
                                     std::string& error);

// A required string member (may be empty).
std::string read_string(const boost::json::object& o, std::string_view key,
                        const std::string& where, std::string& out);
// An optional string member: absent or null leaves `out` empty and is not an error.
std::string read_optional_string(const boost::json::object& o, std::string_view key,
                                 const std::string& where, std::optional<std::string>& out);
// An optional integer member (absent or null → nullopt); a fraction or a value beyond
// int64 is an error.
std::string read_optional_integer(const boost::json::object& o, std::string_view key,
                                  const std::string& where, std::optional<int64_t>& out);
// An optional array member: nullptr when absent or null, else the array or an error.
const boost::json::array* read_optional_array(const boost::json::object& o, std::string_view key,
                                              const std::string& where, std::string& error);

}  // namespace tern::discovery::ecs_json
