#include "lb/admin/target_list.hpp"

#include <array>
#include <boost/json/error.hpp>
#include <boost/json/parser.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/static_resource.hpp>
#include <boost/json/value.hpp>
#include <memory>
#include <new>

#include "lb/admin/json_text.hpp"

namespace tern::admin {

namespace json = boost::json;
namespace ip = boost::asio::ip;

namespace {

// The key names of one body shape.
struct Shape {
  bool aws = false;
  std::string_view list;  // "targets"
  std::string_view id;
  std::string_view port;
  std::string_view zone;  // AWS's AvailabilityZone (ignored); empty in tern's shape
  std::string_view expected_entry_keys;
  std::string_view example;
};

constexpr Shape kTernShape{
    false, "targets", "id", "port", {}, R"("id" and "port")", R"({"id":"10.0.1.5","port":8000})"};
constexpr Shape kAwsShape{true,
                          "Targets",
                          "Id",
                          "Port",
                          "AvailabilityZone",
                          R"("Id", "Port" and "AvailabilityZone")",
                          R"({"Id":"10.0.1.5","Port":8000})"};
constexpr std::string_view kArnKey = "TargetGroupArn";

struct Problem {
  int status = 400;
  std::string message;
};

using Check = std::optional<Problem>;

Problem bad(std::string message) {
  return Problem{400, std::move(message)};
}

std::string key_text(std::string_view key) {
  return json_quoted(key);
}

// How a value shows in a message: short scalars as written, strings quoted (and cut),
// containers by kind (never their whole text).
std::string describe(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string:
      return "the string " + json_quoted(v.get_string());
    case json::kind::array:
      return "an array";
    case json::kind::object:
      return "an object";
    case json::kind::double_:
      // 1.5, 8000.0, 8e3 and integers beyond 64 bits; Boost.JSON writes them as 1.5E0.
      return "a number with a fraction or an exponent (" + json::serialize(v) + ")";
    default:
      return json::serialize(v);
  }
}

std::string entry_name(const Shape& shape, size_t i) {
  return std::string(shape.list) + "[" + std::to_string(i) + "]";
}

// Parses `body` into `doc` (whose storage is the bounded arena `sp`) with the depth limit.
Check parse_json(std::string_view body, const json::storage_ptr& sp, json::value& doc) {
  json::parse_options options;
  options.max_depth = kTargetListMaxDepth;
  unsigned char stack[1024];  // the parser's first value stack; then the arena
  json::parser parser(sp, options, stack, sizeof stack);
  parser.reset(sp);
  json::error_code ec;
  size_t consumed = 0;
  try {
    consumed = parser.write(body.data(), body.size(), ec);
    if (!ec) doc = parser.release();
  } catch (const std::bad_alloc&) {
    return Problem{413, "request body holds too many JSON values (more than " +
                            std::to_string(kTargetListParseMemory / (1024 * 1024)) +
                            " MiB once parsed)"};
  }
  if (ec == json::error::too_deep) {
    return bad("body nests JSON deeper than " + std::to_string(kTargetListMaxDepth) + " levels");
  }
  if (ec) {
    return bad("body is not JSON: " + ec.message() + " (at byte " + std::to_string(consumed) + ")");
  }
  return std::nullopt;
}

// The shape the top-level keys announce; unknown keys and a mix of the two are refused.
Check pick_shape(const json::object& top, const Shape*& shape) {
  bool tern = false;
  bool aws = false;
  for (const auto& member : top) {
    const std::string_view key = member.key();
    if (key == kTernShape.list) {
      tern = true;
    } else if (key == kAwsShape.list || key == kArnKey) {
      aws = true;
    } else {
      return bad("unknown key " + key_text(key) +
                 R"( at the top level; expected "targets" (or AWS's "Targets" and )"
                 R"("TargetGroupArn"))");
    }
  }
  if (tern && aws) {
    return bad(R"(body mixes "targets" with AWS's "Targets"/"TargetGroupArn"; use one shape)");
  }
  shape = aws ? &kAwsShape : &kTernShape;
  if (!top.contains(shape->list)) {
    return bad("body has no " + key_text(shape->list) + "; expected " +
               (aws ? R"({"Targets":[{"Id":"10.0.1.5","Port":8000}]})"
                    : R"({"targets":[{"id":"10.0.1.5","port":8000}]})"));
  }
  return std::nullopt;
}

// The NAME of arn:PARTITION:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID, or
// nullopt when `arn` is not a target group ARN.
std::optional<std::string_view> arn_group_name(std::string_view arn) {
  std::array<std::string_view, 6> field;
  size_t start = 0;
  for (size_t k = 0; k < 5; ++k) {
    size_t colon = arn.find(':', start);
    if (colon == std::string_view::npos) return std::nullopt;
    field[k] = arn.substr(start, colon - start);
    start = colon + 1;
  }
  field[5] = arn.substr(start);
  constexpr std::string_view kPrefix = "targetgroup/";
  if (field[0] != "arn" || field[1].empty() || field[2] != "elasticloadbalancing" ||
      !field[5].starts_with(kPrefix)) {
    return std::nullopt;
  }
  std::string_view rest = field[5].substr(kPrefix.size());
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == rest.size() ||
      rest.find('/', slash + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  return rest.substr(0, slash);
}

Check check_arn(const json::object& top, std::string_view group) {
  const json::value* arn = top.if_contains(kArnKey);
  if (arn == nullptr) return std::nullopt;
  if (!arn->is_string()) return bad("TargetGroupArn must be a string, not " + describe(*arn));
  std::optional<std::string_view> name = arn_group_name(arn->get_string());
  if (!name) {
    return bad("TargetGroupArn " + json_quoted(arn->get_string()) +
               " is not a target group ARN "
               "(arn:PARTITION:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID)");
  }
  if (*name != group) {
    return bad("TargetGroupArn names target group " + json_quoted(*name) + ", not " +
               json_quoted(group));
  }
  return std::nullopt;
}

// An IPv4 or IPv6 literal: hex digits, '.' and ':' only, so no host name, no zone id
// ("fe80::1%eth0") and no NUL that would end the text early for inet_pton.
std::optional<ip::address> parse_ip(std::string_view s) {
  constexpr size_t kMaxIpText = 45;  // "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255"
  if (s.empty() || s.size() > kMaxIpText) return std::nullopt;
  for (char c : s) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
              c == '.' || c == ':';
    if (!ok) return std::nullopt;
  }
  boost::system::error_code ec;
  ip::address a = ip::make_address(std::string(s), ec);
  if (ec) return std::nullopt;
  return a;
}

Check read_id(const json::value& v, const std::string& where, ip::address& out) {
  if (!v.is_string()) {
    return bad(where + " must be a string holding an IP address, not " + describe(v));
  }
  std::optional<ip::address> a = parse_ip(v.get_string());
  if (!a) {
    return bad(where + " " + json_quoted(v.get_string()) +
               " is not an IPv4 or IPv6 address (host names and zone ids are not accepted)");
  }
  out = *a;
  return std::nullopt;
}

Check read_port(const json::value& v, const std::string& where, uint16_t& out) {
  // Integers only: Boost.JSON reads 8000.0, 8e3 and integers beyond 64 bits as doubles.
  if (!v.is_int64() && !v.is_uint64()) {
    return bad(where + " must be an integer in 1..65535, not " + describe(v));
  }
  const bool in_range = v.is_int64() ? v.get_int64() >= 1 && v.get_int64() <= 65535
                                     : v.get_uint64() >= 1 && v.get_uint64() <= 65535;
  if (!in_range) return bad(where + " " + json::serialize(v) + " is not in 1..65535");
  out = static_cast<uint16_t>(v.is_int64() ? v.get_int64() : static_cast<int64_t>(v.get_uint64()));
  return std::nullopt;
}

// Refuses keys other than the shape's, naming a key of the other shape as such.
Check check_entry_keys(const json::object& entry, const std::string& name, const Shape& shape) {
  const Shape& other = shape.aws ? kTernShape : kAwsShape;
  for (const auto& member : entry) {
    const std::string_view key = member.key();
    if (key == shape.id || key == shape.port || (!shape.zone.empty() && key == shape.zone)) {
      continue;
    }
    if (key == other.id || key == other.port || (!other.zone.empty() && key == other.zone)) {
      return bad(name + " has " + key_text(key) + " of " +
                 (shape.aws ? "tern's shape" : "AWS's shape") + "; with " + key_text(shape.list) +
                 " write " + std::string(shape.expected_entry_keys));
    }
    return bad("unknown key " + key_text(key) + " in " + name + "; expected " +
               std::string(shape.expected_entry_keys));
  }
  return std::nullopt;
}

Check read_entry(const json::value& v, size_t i, const Shape& shape, std::string_view group,
                 std::optional<uint16_t> group_port, TargetAddress& out) {
  const std::string name = entry_name(shape, i);
  const json::object* entry = v.if_object();
  if (entry == nullptr) {
    return bad(name + " must be an object like " + std::string(shape.example) + ", not " +
               describe(v));
  }
  if (Check c = check_entry_keys(*entry, name, shape)) return c;
  const json::value* id = entry->if_contains(shape.id);
  if (id == nullptr) return bad(name + " has no " + key_text(shape.id));
  if (Check c = read_id(*id, name + "." + std::string(shape.id), out.ip)) return c;
  const json::value* port = entry->if_contains(shape.port);
  if (port != nullptr) return read_port(*port, name + "." + std::string(shape.port), out.port);
  if (!group_port) {
    return bad(name + " has no " + key_text(shape.port) + " and target group " +
               json_quoted(group) + " has no port: port required");
  }
  out.port = *group_port;
  return std::nullopt;
}

Check read_targets(const json::object& top, const Shape& shape, std::string_view group,
                   std::optional<uint16_t> group_port, std::vector<TargetAddress>& out) {
  const json::value& list = top.at(shape.list);
  const std::string name = key_text(shape.list);
  if (!list.is_array()) return bad(name + " must be an array, not " + describe(list));
  const json::array& entries = list.get_array();
  if (entries.empty()) return bad(name + " is empty; give at least one target");
  if (entries.size() > kMaxTargetsPerCall) {
    return bad(name + " has " + std::to_string(entries.size()) + " entries; at most " +
               std::to_string(kMaxTargetsPerCall) + " per call");
  }
  out.reserve(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    TargetAddress t;
    if (Check c = read_entry(entries[i], i, shape, group, group_port, t)) return c;
    // One target per ip:port (spec: a target is identified by ip:port in its group).
    bool seen = false;
    for (const TargetAddress& o : out) seen = seen || o == t;
    if (!seen) out.push_back(t);
  }
  return std::nullopt;
}

ParsedTargets failed(Problem p) {
  ParsedTargets r;
  r.status = p.status;
  r.error = std::move(p.message);
  return r;
}

}  // namespace

ParsedTargets parse_target_list(std::string_view body, std::string_view group,
                                std::optional<uint16_t> group_port) {
  if (body.size() > kMaxTargetListBody) {
    return failed(
        {413, "request body larger than " + std::to_string(kMaxTargetListBody) + " bytes"});
  }
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return failed(bad(R"(body is empty; expected {"targets":[{"id":"10.0.1.5","port":8000}]})"));
  }
  // Every allocation of the parse (the value stack and the document) comes from this
  // arena; running out is std::bad_alloc, caught in parse_json. Untouched pages of it cost
  // nothing.
  auto arena = std::make_unique_for_overwrite<unsigned char[]>(kTargetListParseMemory);
  json::static_resource resource(arena.get(), kTargetListParseMemory);
  json::storage_ptr sp(&resource);
  json::value doc(sp);  // destroyed before the arena
  if (Check c = parse_json(body, sp, doc)) return failed(std::move(*c));
  const json::object* top = doc.if_object();
  if (top == nullptr) {
    return failed(
        bad(R"(body must be a JSON object like {"targets":[...]}, not )" + describe(doc)));
  }
  const Shape* shape = nullptr;
  if (Check c = pick_shape(*top, shape)) return failed(std::move(*c));
  if (Check c = check_arn(*top, group)) return failed(std::move(*c));
  ParsedTargets result;
  if (Check c = read_targets(*top, *shape, group, group_port, result.targets)) {
    return failed(std::move(*c));
  }
  return result;
}

}  // namespace tern::admin
