#include "tests/support/ecs_stub_auth.hpp"

#include <algorithm>
#include <vector>

namespace tern::test {
namespace {

namespace sigv4 = discovery::sigv4;

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr auto kMaxSkew = std::chrono::minutes(5);

struct ParsedAuthorization {
  std::string access_key_id;
  std::string date;  // YYYYMMDD
  std::string region;
  std::string service;
  std::string terminator;
  std::string signed_headers;  // "a;b;c"
  std::string signature;
};

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    const size_t at = text.find(sep, start);
    out.push_back(text.substr(start, at == std::string_view::npos ? at : at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

EcsAuthFailure failure(std::string type, std::string message) {
  return EcsAuthFailure{403, std::move(type), std::move(message)};
}

// "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=..." (components in any
// order, separated by ',' with optional spaces).
std::optional<ParsedAuthorization> parse_authorization(std::string_view value) {
  value = trim(value);
  if (value.substr(0, kAlgorithm.size()) != kAlgorithm || value.size() == kAlgorithm.size() ||
      value[kAlgorithm.size()] != ' ') {
    return std::nullopt;
  }
  ParsedAuthorization out;
  bool credential = false;
  for (std::string_view part : split(value.substr(kAlgorithm.size() + 1), ',')) {
    part = trim(part);
    const size_t eq = part.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    const std::string_view name = part.substr(0, eq);
    const std::string_view v = part.substr(eq + 1);
    if (name == "Credential") {
      const auto pieces = split(v, '/');
      if (pieces.size() != 5) return std::nullopt;
      out.access_key_id = pieces[0];
      out.date = pieces[1];
      out.region = pieces[2];
      out.service = pieces[3];
      out.terminator = pieces[4];
      credential = true;
    } else if (name == "SignedHeaders") {
      out.signed_headers = v;
    } else if (name == "Signature") {
      out.signature = v;
    }
  }
  if (!credential || out.signed_headers.empty() || out.signature.empty()) return std::nullopt;
  return out;
}

// The signed headers with their received values, in received order; nullopt when one is
// named but absent.
std::optional<sigv4::Headers> signed_header_values(const Headers& headers,
                                                   std::string_view signed_list) {
  sigv4::Headers out;
  for (const std::string_view name : split(signed_list, ';')) {
    bool found = false;
    for (const auto& h : headers) {
      if (iequals(h.name, name)) {
        out.emplace_back(h.name, h.value);
        found = true;
      }
    }
    if (!found) return std::nullopt;
  }
  return out;
}

std::optional<EcsAuthFailure> check_identity(const ParsedAuthorization& auth,
                                             const Headers& headers,
                                             const sigv4::Credentials& credentials) {
  if (auth.access_key_id != credentials.access_key_id) {
    return failure("UnrecognizedClientException",
                   "The security token included in the request is invalid.");
  }
  const auto token = find_header(headers, "X-Amz-Security-Token");
  if (token != credentials.session_token) {
    return failure("UnrecognizedClientException",
                   "The security token included in the request is invalid.");
  }
  return std::nullopt;
}

std::optional<EcsAuthFailure> check_scope(const ParsedAuthorization& auth,
                                          std::string_view amz_date, std::string_view region) {
  if (auth.date != amz_date.substr(0, 8)) {
    return failure("InvalidSignatureException",
                   "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of "
                   "date from HTTP: '" +
                       auth.date + "' != '" + std::string(amz_date.substr(0, 8)) + "', from '" +
                       std::string(amz_date) + "'.");
  }
  if (auth.region != region) {
    return failure("InvalidSignatureException", "Credential should be scoped to a valid region. ");
  }
  if (auth.service != "ecs") {
    return failure("InvalidSignatureException",
                   "Credential should be scoped to correct service: 'ecs'. ");
  }
  if (auth.terminator != "aws4_request") {
    return failure("InvalidSignatureException",
                   "Credential should be scoped with a valid terminator: 'aws4_request', not '" +
                       auth.terminator + "'. ");
  }
  return std::nullopt;
}

std::optional<EcsAuthFailure> check_time(std::string_view amz_date,
                                         std::chrono::system_clock::time_point now) {
  const auto when = sigv4::parse_amz_date(amz_date);
  if (!when) {
    return failure("IncompleteSignatureException",
                   "Date must be in ISO-8601 'basic format'. Got '" + std::string(amz_date) + "'.");
  }
  if (*when < now - kMaxSkew) {
    return failure("InvalidSignatureException", "Signature expired: " + std::string(amz_date) +
                                                    " is now earlier than " +
                                                    sigv4::format_amz_date(now - kMaxSkew) + " (" +
                                                    sigv4::format_amz_date(now) + " - 5 min.)");
  }
  if (*when > now + kMaxSkew) {
    return failure("InvalidSignatureException",
                   "Signature not yet current: " + std::string(amz_date) + " is still later than " +
                       sigv4::format_amz_date(now + kMaxSkew) + " (" + sigv4::format_amz_date(now) +
                       " + 5 min.)");
  }
  return std::nullopt;
}

}  // namespace

std::optional<EcsAuthFailure> check_ecs_signature(const EcsAuthRequest& request,
                                                  const sigv4::Credentials& credentials,
                                                  std::string_view region,
                                                  std::chrono::system_clock::time_point now) {
  const auto header = find_header(request.headers, "Authorization");
  if (!header)
    return failure("MissingAuthenticationTokenException", "Missing Authentication Token");
  const auto auth = parse_authorization(*header);
  if (!auth) {
    return failure("IncompleteSignatureException",
                   "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' "
                   "parameters. Authorization=" +
                       *header);
  }
  const auto amz_date = find_header(request.headers, "X-Amz-Date");
  if (!amz_date) {
    return failure("IncompleteSignatureException",
                   "Authorization header requires existence of either a 'X-Amz-Date' or a "
                   "'Date' header. Authorization=" +
                       *header);
  }
  const auto signed_names = split(auth->signed_headers, ';');
  if (std::find(signed_names.begin(), signed_names.end(), "host") == signed_names.end()) {
    return failure("InvalidSignatureException",
                   "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  if (auto f = check_identity(*auth, request.headers, credentials)) return f;
  if (auto f = check_scope(*auth, *amz_date, region)) return f;
  if (auto f = check_time(*amz_date, now)) return f;

  const auto values = signed_header_values(request.headers, auth->signed_headers);
  std::string expected;
  if (values) {
    const auto [path, query] = split_target(request.target);
    const sigv4::SigningRequest signing{std::string(request.method), path, query, *values,
                                        std::string(request.body)};
    const std::string canonical = sigv4::canonical_request(signing, true);
    const std::string scope = sigv4::credential_scope(*amz_date, region, "ecs");
    const std::string key =
        sigv4::signing_key(credentials.secret_access_key, auth->date, region, "ecs");
    expected = sigv4::signature(key, sigv4::string_to_sign(*amz_date, scope, canonical));
  }
  if (!values || expected != auth->signature) {
    return failure("InvalidSignatureException",
                   "The request signature we calculated does not match the signature you "
                   "provided. Check your AWS Secret Access Key and signing method. Consult the "
                   "service documentation for details.");
  }
  return std::nullopt;
}

}  // namespace tern::test
