// Replies tern composes itself for a routed request, instead of forwarding it: a
// redirect (301/302 with Location), a fixed response (the configured status, content type
// and body), and the 500 of a rewrite whose result is not a valid request. Each carries
// Server: tern, Date and Content-Length, so the connection stays usable afterwards.
//
// Thread affinity: none (pure functions). Ownership: writes into caller-owned strings,
// reused across requests.
#pragma once

#include <string>
#include <string_view>

#include "lb/core/finish_reason.hpp"
#include "lb/router/compiled_rules.hpp"

namespace tern::proxy {

struct LocalFraming {
  bool close = false;          // the connection closes after this reply
  bool client_http10 = false;  // keep-alive must be announced to an HTTP/1.0 client
  bool head = false;           // answer to HEAD: no body
};

// Working space of encode_action_reply, owned by the connection and reused.
struct LocalScratch {
  std::string location;
  std::string fields;
  std::string body;
};

// Encodes the reply for `reason` (kRedirect, kFixedResponse or kRewriteFailed, as
// RequestRouting decided for `route`) into `out`. Returns the finish reason of the
// stream: `reason`, or kBadRequest when a redirect has no host to go to (an HTTP/1.0
// request without Host), in which case `out` holds a 400 with Connection: close.
core::FinishReason encode_action_reply(core::FinishReason reason, const router::Route& route,
                                       const router::Request& request, std::string_view date,
                                       const LocalFraming& framing, LocalScratch& scratch,
                                       std::string& out);

}  // namespace tern::proxy
