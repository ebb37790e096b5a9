// Finish reasons: every stream ends with exactly one, which decides the status code the
// client sees (when tern answers itself), the log field and the counter.
//
// Thread affinity: none (pure values and functions).
#pragma once

#include <cstdint>
#include <string_view>

namespace tern::core {

enum class FinishReason : uint8_t {
  kOk,                      // target's response relayed completely
  kBadRequest,              // malformed or ambiguous request (400)
  kMethodNotAllowed,        // TRACE / CONNECT (405)
  kRequestHeaderTimeout,    // head not complete within header_timeout (408)
  kBodyTooLarge,            // body over max_body_bytes (413)
  kUriTooLong,              // request line over max_request_line (414)
  kHeadersTooLarge,         // head over max_header_bytes (431)
  kTooManyForwardedFor,     // more than 30 X-Forwarded-For addresses (463)
  kNotImplemented,          // Transfer-Encoding other than chunked, Upgrade (501)
  kVersionNotSupported,     // HTTP/2.0+ on an HTTP/1 port (505)
  kNoRoute,                 // no rule and no default action (500; config prevents it)
  kNoHealthyTarget,         // target group has no target (503)
  kUpstreamConnectFailure,  // target refused the connection (502)
  kUpstreamConnectTimeout,  // connect did not finish in 10 s (504)
  kUpstreamReset,           // target closed/reset before a complete response (502)
  kUpstreamBadResponse,     // target sent an invalid response (502)
  kUpstreamTimeout,         // no response within the idle timeout (504)
  kDownstreamReset,         // client went away mid-stream (460, logged only)
  kDownstreamTimeout,       // client stalled while sending the body (408)
  kShutdown,                // tern stopped before the stream could start (503)
  // Answered by tern from the matched rule's action with the action's own status
  // (status_for gives ALB's defaults: 200 for fixed_response, 301 for redirect).
  kFixedResponse,  // fixed_response action (its status_code)
  kRedirect,       // redirect action (its status_code: 301 or 302)
  kRewriteFailed,  // a transform's result is not a valid target or Host (500)
};

// The last enumerator: tables and per-reason counters cover 0..kLastFinishReason.
inline constexpr FinishReason kLastFinishReason = FinishReason::kRewriteFailed;

// Status code tern answers with (or logs, for reasons without a response).
int status_for(FinishReason reason);

// Stable snake_case name for logs and metric labels.
std::string_view name_of(FinishReason reason);

// True when the response came from the target rather than from tern.
inline bool is_upstream_response(FinishReason reason) {
  return reason == FinishReason::kOk;
}

}  // namespace tern::core
