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
};

void encode_response_head(const MessageHead& head, const char* base,
                          const ResponseFraming& framing, std::string& out);

// Canonical reason phrase for a status code ("Bad Request"), or "" when unknown.
std::string_view reason_phrase(int status);

// A complete local reply: status line, Server: tern, Date, a short text/plain body.
void encode_local_reply(int status, std::string_view date, bool close, std::string& out);

}  // namespace tern::http
