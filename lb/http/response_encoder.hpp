// Builds the response head tern sends to a client: the target's status and fields minus
// hop-by-hop fields, with the connection management tern decided on; and tern's own
// small local replies (errors, 100 Continue).
//
// Thread affinity: none (pure functions). Ownership: writes into caller-owned strings.
#pragma once

#include <string>
#include <string_view>

#include "lb/http/message_head.hpp"

namespace tern::http {

struct ResponseFraming {
  bool close = false;          // tern closes the client connection after this response
  bool client_http10 = false;  // the client spoke HTTP/1.0
  bool dechunk = false;        // body is sent decoded (HTTP/1.0 client, chunked response)
  // Fields tern adds to the target's (e.g. "Set-Cookie: AWSALBTG=...\r\n"): complete
  // lines, each ending in CRLF, appended after the target's fields; never to a 1xx.
  std::string_view extra_fields = {};
};

void encode_response_head(const MessageHead& head, const char* base, const ResponseFraming& framing,
                          std::string& out);

// Canonical reason phrase for a status code ("Bad Request"), or "" when unknown.
std::string_view reason_phrase(int status);

// A complete local reply: status line, Server: tern, Date, a short text/plain body.
void encode_local_reply(int status, std::string_view date, bool close, std::string& out);

// A response tern composes itself with a given body (fixed responses, redirects).
struct LocalResponse {
  int status = 200;
  std::string_view content_type;  // no Content-Type field when empty
  std::string_view body;
  std::string_view extra_fields;  // complete lines ending in CRLF (e.g. Location)
  bool close = false;             // Connection: close
  bool client_http10 = false;     // with !close: Connection: keep-alive (RFC 9112 §9.3)
  bool head = false;              // answer to HEAD: Content-Length of the body, no body
};

// Status line, Server: tern, Date, the extra fields, Content-Type, Content-Length (always,
// so that the client can reuse the connection), connection management, then the body.
void encode_local_response(const LocalResponse& response, std::string_view date, std::string& out);

}  // namespace tern::http
