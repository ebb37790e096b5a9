// One admin API request as route handlers see it: method, path and query split apart,
// header fields, the complete (decoded) body, and the {name} segments the route pattern
// captured. Everything is a view into the connection's read buffer or the session's body
// storage, valid only while the handler runs: a handler that keeps something copies it.
//
// Thread affinity: the control thread (the admin server's io_context). Ownership: owned by
// the session answering the request; handlers get a const reference.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

namespace tern::admin {

struct Request {
  std::string_view method;  // case-sensitive token as sent (RFC 9110 §9.1): "GET"
  std::string_view target;  // request-target as sent: "/v1/target-groups?x=1"
  std::string_view path;    // without the query: "/v1/target-groups"
  std::string_view query;   // after the '?', without it; empty when none
  std::string_view body;    // decoded (chunked framing removed)
  std::vector<std::pair<std::string_view, std::string_view>> headers;  // name, value
  // Captured by the route pattern: {"name", "app"} for /v1/target-groups/{name}/targets.
  std::vector<std::pair<std::string_view, std::string_view>> params;

  // The first header field named `name` (case-insensitive), or empty.
  std::string_view header(std::string_view name) const;
  // The captured path segment `name` (exact), or empty.
  std::string_view param(std::string_view name) const;
};

}  // namespace tern::admin
