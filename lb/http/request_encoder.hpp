// Builds the request head tern sends to a target from the client's parsed head: the same
// method, target and fields, minus hop-by-hop fields, plus the X-Forwarded-* fields and
// X-Amzn-Trace-Id as ALB adds them (spec: "Behaviour users rely on").
//
// Thread affinity: none (pure function). Ownership: writes into a caller-owned string
// whose capacity is reused across requests.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "lb/http/message_head.hpp"

namespace tern::http {

enum class XffMode : uint8_t { kAppend, kPreserve, kRemove };

struct ForwardInfo {
  std::string_view client_ip;  // TCP peer address, textual
  std::string_view proto;      // "http" | "https"
  uint16_t listener_port = 0;  // X-Forwarded-Port
  XffMode xff = XffMode::kAppend;
  std::string_view new_trace_id;  // used when the client's id is absent or invalid
  std::string_view target;        // request-target to send (normally the client's)
  // Absolute-form requests: the Host field is replaced by the target's authority
  // (RFC 9112 §3.2.2). Empty: Host is forwarded as the client sent it.
  std::string_view host_override;
};

enum class EncodeStatus : uint8_t { kOk, kTooManyForwardedFor };

// ALB answers 463 when X-Forwarded-For carries more than this many addresses.
inline constexpr int kMaxForwardedFor = 30;

EncodeStatus encode_request_head(const MessageHead& head, const char* base, const ForwardInfo& info,
                                 std::string& out);

}  // namespace tern::http
