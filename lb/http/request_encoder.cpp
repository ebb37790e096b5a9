#include "lb/http/request_encoder.hpp"

#include "lb/http/hop_by_hop.hpp"
#include "lb/http/trace_id.hpp"

namespace tern::http {

namespace {

void append_field(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  out.append(value);
  out.append("\r\n");
}

int count_addresses(std::string_view list) {
  int n = 0;
  for_each_token(list, [&](std::string_view) { ++n; });
  return n;
}

// Everything the client sent that tern replaces or handles itself.
bool replaced_by_tern(std::string_view name) {
  return iequals(name, "x-forwarded-for") || iequals(name, "x-forwarded-proto") ||
         iequals(name, "x-forwarded-port") || iequals(name, "x-amzn-trace-id") ||
         // tern answers "Expect: 100-continue" itself (RFC 9110 §10.1.1), so the target
         // gets the body without having to agree first.
         iequals(name, "expect");
}

}  // namespace

EncodeStatus encode_request_head(const MessageHead& head, const char* base, const ForwardInfo& info,
                                 std::string& out) {
  out.clear();
  out.append(head.method_text.view(base));
  out.push_back(' ');
  out.append(info.target);
  // The target gets HTTP/1.1 whatever the client spoke: tern is the client now.
  out.append(" HTTP/1.1\r\n");

  ConnectionTokens tokens(head, base);
  int xff_count = 0;
  size_t xff_at = std::string::npos;  // where the combined X-Forwarded-For value goes
  std::string_view trace;
  bool host_sent = false;
  for (const auto& h : head.headers) {
    std::string_view name = h.name.view(base);
    std::string_view value = h.value.view(base);
    if (replaced_by_tern(name)) {
      if (iequals(name, "x-forwarded-for")) xff_count += count_addresses(value);
      if (iequals(name, "x-forwarded-for") && info.xff != XffMode::kRemove) {
        if (xff_at == std::string::npos) {
          append_field(out, "X-Forwarded-For", value);
          xff_at = out.size() - 2;  // before the CRLF
        } else {
          // Several lines are one list (RFC 9110 §5.3): merged, in order.
          out.insert(xff_at, ", ");
          out.insert(xff_at + 2, value);
          xff_at += 2 + value.size();
        }
      } else if (iequals(name, "x-amzn-trace-id") && trace.empty()) {
        trace = value;
      }
      continue;
    }
    if (drop_on_forward(name, tokens)) continue;
    if (!info.host_override.empty() && iequals(name, "host")) {
      append_field(out, name, info.host_override);
      host_sent = true;
      continue;
    }
    append_field(out, name, value);
  }
  if (!info.host_override.empty() && !host_sent) append_field(out, "Host", info.host_override);
  if (xff_count > kMaxForwardedFor) {
    return EncodeStatus::kTooManyForwardedFor;
  }
  if (info.xff == XffMode::kAppend) {
    if (xff_at == std::string::npos) {
      append_field(out, "X-Forwarded-For", info.client_ip);
    } else {
      out.insert(xff_at, ", ");
      out.insert(xff_at + 2, info.client_ip);
    }
  }
  out.append("X-Forwarded-Proto: ");
  out.append(info.proto);
  out.append("\r\nX-Forwarded-Port: ");
  append_decimal(out, info.listener_port);
  out.append("\r\n");
  append_field(out, "X-Amzn-Trace-Id", is_valid_trace_id(trace) ? trace : info.new_trace_id);
  if (head.chunked) out.append("Transfer-Encoding: chunked\r\n");
  out.append("\r\n");
  return EncodeStatus::kOk;
}

}  // namespace tern::http
