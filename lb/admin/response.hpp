// An admin API response as route handlers produce it, the helpers that build the common
// ones (JSON bodies, {"error": "..."} bodies), and its encoding on the wire with the
// connection management the session decided on.
//
// Thread affinity: none (plain data and pure functions). Ownership: by value.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tern::admin {

inline constexpr std::string_view kJsonType = "application/json";

struct Response {
  int status = 200;
  std::string content_type = std::string(kJsonType);
  std::string body;
  // Extra header fields (name, value), e.g. {"Allow", "GET, HEAD"}. Fields whose name or
  // value could break the framing (CR, LF, NUL; a name that is not a token) are dropped.
  std::vector<std::pair<std::string, std::string>> headers;
  bool close = false;  // close the connection after this response
};

// A JSON body given as text (boost::json::serialize of the value the handler built).
Response json_response(int status, std::string body);

// {"error": message} with `status` (4xx for bad input, 5xx for tern's own failures); bytes
// of `message` that are not UTF-8 become U+FFFD (json_text.hpp).
Response error_response(int status, std::string_view message);

struct Framing {
  bool close = false;          // Connection: close, then the connection closes
  bool client_http10 = false;  // keep-alive must be announced (RFC 9112 §9.3)
  bool head = false;           // answer to HEAD: headers of the GET answer, no body
};

// Status line, Server: tern, Date, the extra fields, Content-Type, Content-Length,
// connection management, then the body (replaces `out`).
void encode_response(const Response& response, const Framing& framing, std::string_view date,
                     std::string& out);

}  // namespace tern::admin
