// The SigV4 check of the ECS API stub (ecs_api_stub.hpp), as AWS makes it for a JSON 1.1
// service: the `Authorization: AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/
// aws4_request, SignedHeaders=..., Signature=...` header is parsed, then, in AWS's order,
//   - no Authorization: 403 MissingAuthenticationTokenException;
//   - a malformed one, no X-Amz-Date, Host not signed: 403 IncompleteSignatureException or
//     InvalidSignatureException;
//   - an unknown access key, a missing or wrong X-Amz-Security-Token: 403
//     UnrecognizedClientException;
//   - a scope with another date, region or service, or not ending in aws4_request: 403
//     InvalidSignatureException;
//   - X-Amz-Date more than 5 minutes from the server's clock: 403 InvalidSignatureException
//     "Signature expired: ...";
//   - a signature that differs from the one recomputed with lb/discovery/sigv4 over exactly
//     the SignedHeaders (their received values) and the body: 403 InvalidSignatureException.
// Status codes follow AWS's common errors (403 for all of these).
//
// Thread affinity: none (a pure function). Ownership: values only.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "lb/discovery/sigv4.hpp"
#include "tests/support/http_message.hpp"

namespace tern::test {

struct EcsAuthFailure {
  int status = 403;
  std::string type;  // "InvalidSignatureException", ...
  std::string message;
};

struct EcsAuthRequest {
  std::string_view method;
  std::string_view target;  // "/" or "/?query"
  const Headers& headers;
  std::string_view body;
};

// nullopt when the request is signed by `credentials` for (region, "ecs") at a time within
// 5 minutes of `now`.
std::optional<EcsAuthFailure> check_ecs_signature(const EcsAuthRequest& request,
                                                  const discovery::sigv4::Credentials& credentials,
                                                  std::string_view region,
                                                  std::chrono::system_clock::time_point now);

}  // namespace tern::test
