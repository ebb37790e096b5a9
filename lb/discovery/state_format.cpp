#include "lb/discovery/state_format.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/json.hpp>
#include <initializer_list>
#include <set>
#include <tuple>

#include "lb/discovery/ecs_json.hpp"

namespace tern::discovery {
namespace {

namespace json = boost::json;

constexpr int64_t kVersion = 1;
// The shape is an object holding an array of objects: depth 3. Anything deeper is not a
// state file, and the limit bounds the parser's work on a hostile file.
constexpr size_t kMaxDepth = 3;

using ecs_json::kind_name;

std::string quoted(std::string_view text) {
  return json::serialize(json::string_view(text.data(), text.size()));
}

// "" when every key of `object` is one of `keys`, else the error for the first other one.
std::string unknown_key(const json::object& object, std::string_view where,
                        std::initializer_list<std::string_view> keys) {
  for (const auto& entry : object) {
    bool known = false;
    for (std::string_view k : keys) known = known || entry.key() == k;
    if (known) continue;
    std::string expected;
    for (std::string_view k : keys) expected += (expected.empty() ? "" : ", ") + std::string(k);
    return std::string(where) + (where.empty() ? "" : ": ") + "unknown key " + quoted(entry.key()) +
           "; expected " + expected;
  }
  return {};
}

// An integer in low..high, or the error.
std::string read_integer(const json::value* v, const std::string& where, int64_t low, int64_t high,
                         int64_t& out) {
  if (v == nullptr) return where + ": missing";
  if (v->is_int64()) {
    out = v->as_int64();
  } else if (v->is_uint64()) {
    return where + ": " + std::to_string(v->as_uint64()) + " is out of range; expected " +
           std::to_string(low) + ".." + std::to_string(high);
  } else {
    return where + ": expected an integer, got " + std::string(kind_name(*v));
  }
  if (out < low || out > high) {
    return where + ": " + std::to_string(out) + " is out of range; expected " +
           std::to_string(low) + ".." + std::to_string(high);
  }
  return {};
}

std::string read_string(const json::value* v, const std::string& where, std::string& out) {
  if (v == nullptr) return where + ": missing";
  if (!v->is_string()) return where + ": expected a string, got " + std::string(kind_name(*v));
  out = std::string(v->as_string());
  if (out.empty()) return where + ": must not be empty";
  return {};
}

// Canonical text of an IPv4 or IPv6 literal (no zone index: a target is a routable
// address), or the error.
std::string read_ip(const json::value* v, const std::string& where, std::string& out) {
  std::string text;
  if (std::string error = read_string(v, where, text); !error.empty()) return error;
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(text, ec);
  if (ec || text.find('%') != std::string::npos) {
    return where + ": " + quoted(text) + " is not an IPv4 or IPv6 address";
  }
  out = address.to_string();
  return {};
}

std::string read_target(const json::value& v, const std::string& where, StateTarget& out) {
  if (!v.is_object()) return where + ": expected an object, got " + std::string(kind_name(v));
  const json::object& o = v.as_object();
  if (std::string e = unknown_key(o, where, {"target_group", "id", "port"}); !e.empty()) return e;
  if (std::string e =
          read_string(o.if_contains("target_group"), where + ".target_group", out.group);
      !e.empty()) {
    return e;
  }
  if (std::string e = read_ip(o.if_contains("id"), where + ".id", out.ip); !e.empty()) return e;
  int64_t port = 0;
  if (std::string e = read_integer(o.if_contains("port"), where + ".port", 1, 65535, port);
      !e.empty()) {
    return e;
  }
  out.port = static_cast<uint16_t>(port);
  return {};
}

// The parsed document, or the error ("not valid JSON at offset N: ...", "truncated: ...").
std::string parse(std::string_view text, json::value& out) {
  json::parse_options options;
  options.max_depth = kMaxDepth;
  json::stream_parser parser({}, options);
  boost::system::error_code ec;
  const size_t consumed = parser.write(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec == json::error::incomplete) {
    return text.empty()
               ? "empty; expected a JSON object (truncated?)"
               : "truncated: the JSON ends after " + std::to_string(text.size()) + " bytes";
  }
  if (ec) return "not valid JSON at offset " + std::to_string(consumed) + ": " + ec.message();
  out = parser.release();
  return {};
}

std::string decode_into(std::string_view text, std::vector<StateTarget>& targets) {
  json::value document;
  if (std::string e = parse(text, document); !e.empty()) return e;
  if (!document.is_object()) {
    return "expected a JSON object with version and targets, got " +
           std::string(kind_name(document));
  }
  const json::object& root = document.as_object();
  if (std::string e = unknown_key(root, "", {"version", "targets"}); !e.empty()) return e;
  const json::value* version = root.if_contains("version");
  if (version == nullptr) return "version: missing";
  if (!version->is_int64() && !version->is_uint64()) {
    return "version: expected an integer, got " + std::string(kind_name(*version));
  }
  if (!version->is_int64() || version->as_int64() != kVersion) {
    return "version: " + json::serialize(*version) + " is not supported; expected " +
           std::to_string(kVersion) + " (written by another version of tern?)";
  }
  const json::value* list = root.if_contains("targets");
  if (list == nullptr) return "targets: missing";
  if (!list->is_array()) return "targets: expected an array, got " + std::string(kind_name(*list));
  std::set<std::tuple<std::string, std::string, uint16_t>> seen;
  for (size_t i = 0; i < list->as_array().size(); ++i) {
    StateTarget target;
    const std::string where = "targets[" + std::to_string(i) + "]";
    if (std::string e = read_target(list->as_array()[i], where, target); !e.empty()) return e;
    if (seen.emplace(target.group, target.ip, target.port).second) {
      targets.push_back(std::move(target));
    }
  }
  return {};
}

}  // namespace

std::string encode_state(const std::vector<StateTarget>& targets) {
  json::array list;
  list.reserve(targets.size());
  for (const StateTarget& t : targets) {
    list.push_back(json::object{{"target_group", t.group}, {"id", t.ip}, {"port", t.port}});
  }
  return json::serialize(json::object{{"version", kVersion}, {"targets", std::move(list)}});
}

LoadedState decode_state(std::string_view text) {
  LoadedState state;
  state.error = decode_into(text, state.targets);
  if (!state.error.empty()) state.targets.clear();
  return state;
}

}  // namespace tern::discovery
