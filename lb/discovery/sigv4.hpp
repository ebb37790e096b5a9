// AWS Signature Version 4, header signing (the `Authorization: AWS4-HMAC-SHA256 ...` form),
// as pure code: what the ECS client adds to its ListTasks/DescribeTasks POSTs, and what a
// stand-in ECS server in the tests recomputes to check them. Presigned URLs (query
// signing) and chunked/streaming payload signing are not provided: tern never sends them.
//
// Canonicalisation follows the AWS documentation and the AWS SigV4 test suite
// (tests/data/aws-sigv4, checked case by case in tests/unit/discovery/sigv4_test.cpp):
//   - URI path: for every service but S3, dot segments are removed and empty segments
//     collapsed (the suite's "normalize": true), then each segment is percent-encoded once
//     with the unreserved set (A-Z a-z 0-9 - . _ ~). The path given here is NOT encoded
//     yet: "/example space/" becomes "/example%20space/".
//   - Query: split on '&', each name and value percent-decoded then re-encoded, sorted by
//     encoded name then encoded value; a name without '=' gets an empty value. '+' is a
//     literal plus, as AWS reads it (not a space).
//   - Headers: names lower-cased; values trimmed, inner whitespace runs (space, tab, CR,
//     LF: an obs-fold continuation too) collapsed to one space; several values of one name
//     joined with ',' in the order given; names sorted.
//   - Payload hash: lower-case hex SHA-256 of the body.
// Which headers are signed follows botocore (the ECS cases in tests/data/aws-sigv4-ecs):
// every header the caller gives plus Host, X-Amz-Date and X-Amz-Security-Token, except
// those that a hop may add or rewrite (RFC 9110 §7.6.1 hop-by-hop fields, User-Agent,
// Expect, X-Amzn-Trace-Id) and the ones the signer owns (Authorization, X-Amz-Date,
// X-Amz-Security-Token, X-Amz-Content-Sha256), whose caller values are ignored.
//
// The signer has no clock: the caller passes the signing time.
//
// Thread affinity: none (pure functions; OpenSSL's digest functions are thread-safe).
// Ownership: values only; nothing is kept between calls.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tern::discovery::sigv4 {

using Headers = std::vector<std::pair<std::string, std::string>>;

// The request as it will be sent. `path` is the decoded path ("/" for ECS); `query` is the
// text after '?' (without it), encoded or not; header names in any case, repeats allowed.
struct SigningRequest {
  std::string method;
  std::string path;
  std::string query;
  Headers headers;
  std::string body;
};

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::optional<std::string> session_token;  // temporary credentials (STS, ECS task role)
};

struct SigningParams {
  Credentials credentials;
  std::string region;   // "us-east-1"
  std::string service;  // "ecs"
  // The endpoint's authority ("ecs.us-east-1.amazonaws.com", "127.0.0.1:8443"): the Host
  // header added when the request has none.
  std::string host;
  // Non-S3 services normalise the path; false keeps it as given (S3, and the suite's
  // "-unnormalized" cases).
  bool normalize_path = true;
  // Adds and signs X-Amz-Content-Sha256 (S3 needs it; the suite's "sign_body" cases).
  bool add_content_sha256 = false;
  // False adds X-Amz-Security-Token after signing, unsigned (some older services; the
  // suite's "omit_session_token"). botocore, and so ECS, signs it.
  bool sign_session_token = true;
};

struct SigningResult {
  // The headers to add to the request, in this order: Host (only when the request had
  // none), X-Amz-Date, X-Amz-Content-Sha256 (when asked), X-Amz-Security-Token (with a
  // session token), Authorization.
  Headers headers;
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;  // lower-case hex
};

// --- The whole signature --------------------------------------------------------------

SigningResult sign(const SigningRequest& request, const SigningParams& params,
                   std::chrono::system_clock::time_point when);

// --- Pieces, public so that a stand-in server can recompute a signature ----------------

// "YYYYMMDDTHHMMSSZ" in UTC (sub-second part dropped), and back; nullopt when the text is
// not exactly that shape or names an invalid date or time.
std::string format_amz_date(std::chrono::system_clock::time_point when);
std::optional<std::chrono::system_clock::time_point> parse_amz_date(std::string_view text);

// Percent-encoding with the unreserved set, upper-case hex; '/' kept when `keep_slash`.
std::string uri_encode(std::string_view text, bool keep_slash);
std::string canonical_uri(std::string_view path, bool normalize);
std::string canonical_query(std::string_view query);

struct CanonicalHeaders {
  std::string text;            // "name:value\n" per header name, sorted
  std::string signed_headers;  // "name1;name2"
};
// Canonicalises exactly the headers given (no filtering, nothing added).
CanonicalHeaders canonical_headers(const Headers& headers);

// The canonical request of `request` signing exactly its headers: the caller (or sign())
// has already added Host, X-Amz-Date and the rest.
std::string canonical_request(const SigningRequest& request, bool normalize_path);

// "<date>/<region>/<service>/aws4_request"; `amz_date` is "YYYYMMDDTHHMMSSZ".
std::string credential_scope(std::string_view amz_date, std::string_view region,
                             std::string_view service);
std::string string_to_sign(std::string_view amz_date, std::string_view scope,
                           std::string_view canonical_request);

// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"),
// raw bytes; `date` is "YYYYMMDD".
std::string signing_key(std::string_view secret_access_key, std::string_view date,
                        std::string_view region, std::string_view service);
// Lower-case hex HMAC-SHA256 of the string to sign under the signing key.
std::string signature(std::string_view signing_key, std::string_view string_to_sign);

// Primitives: lower-case hex SHA-256, raw HMAC-SHA256, lower-case hex of bytes.
std::string sha256_hex(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);
std::string hex(std::string_view bytes);

}  // namespace tern::discovery::sigv4
