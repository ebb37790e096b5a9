#include "lb/core/finish_reason.hpp"

namespace tern::core {

namespace {

struct Entry {
  int status;
  std::string_view name;
};

constexpr Entry entry(FinishReason reason) {
  switch (reason) {
    case FinishReason::kOk:
      return {200, "ok"};
    case FinishReason::kBadRequest:
      return {400, "bad_request"};
    case FinishReason::kMethodNotAllowed:
      return {405, "method_not_allowed"};
    case FinishReason::kRequestHeaderTimeout:
      return {408, "request_header_timeout"};
    case FinishReason::kBodyTooLarge:
      return {413, "body_too_large"};
    case FinishReason::kUriTooLong:
      return {414, "uri_too_long"};
    case FinishReason::kHeadersTooLarge:
      return {431, "headers_too_large"};
    case FinishReason::kTooManyForwardedFor:
      return {463, "too_many_forwarded_for"};
    case FinishReason::kNotImplemented:
      return {501, "not_implemented"};
    case FinishReason::kVersionNotSupported:
      return {505, "version_not_supported"};
    case FinishReason::kNoRoute:
      return {500, "no_route"};
    case FinishReason::kNoHealthyTarget:
      return {503, "no_healthy_target"};
    case FinishReason::kUpstreamConnectFailure:
      return {502, "upstream_connect_failure"};
    case FinishReason::kUpstreamConnectTimeout:
      return {504, "upstream_connect_timeout"};
    case FinishReason::kUpstreamReset:
      return {502, "upstream_reset"};
    case FinishReason::kUpstreamBadResponse:
      return {502, "upstream_bad_response"};
    case FinishReason::kUpstreamTimeout:
      return {504, "upstream_timeout"};
    case FinishReason::kDownstreamReset:
      return {460, "downstream_reset"};
    case FinishReason::kDownstreamTimeout:
      return {408, "downstream_timeout"};
    case FinishReason::kShutdown:
      return {503, "shutdown"};
    case FinishReason::kFixedResponse:
      return {200, "fixed_response"};
    case FinishReason::kRedirect:
      return {301, "redirect"};
    case FinishReason::kRewriteFailed:
      return {500, "rewrite_failed"};
  }
  return {500, "unknown"};
}

}  // namespace

int status_for(FinishReason reason) {
  return entry(reason).status;
}

std::string_view name_of(FinishReason reason) {
  return entry(reason).name;
}

}  // namespace tern::core
