// The request-target and Host forms of RFC 9112 §3.2 and RFC 9110 §7.2: splitting an
// absolute-form target into authority and origin-form, and validating a Host value.
//
// Thread affinity: none (pure functions). Ownership: returns views into its input.
#pragma once

#include <string_view>

namespace tern::http {

struct RequestTarget {
  enum class Form { kOrigin, kAbsolute, kAsterisk, kInvalid };
  Form form = Form::kInvalid;
  std::string_view authority;  // absolute-form only: "host[:port]"
  std::string_view path;       // origin-form to forward: "/p?q" ("" for "*")
};

// "/p?q" -> origin; "http://h:1/p?q" -> absolute with authority "h:1" and path "/p?q"
// ("http://h" and "http://h?q" give "" and "?q": the root, which the caller forwards as
// "/" and "/?q"); "*" -> asterisk; anything else (other schemes, userinfo, a fragment,
// an invalid authority) -> invalid.
RequestTarget parse_request_target(std::string_view target);

// uri-host [":" port] (RFC 9110 §7.2, RFC 3986 §3.2.2); empty is valid (RFC 9112 §3.2).
bool is_valid_host(std::string_view host);

}  // namespace tern::http
