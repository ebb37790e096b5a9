// The AWS credentials chain as pure pieces (spec/config.md, "Targets from outside the
// file": Credentials): which source applies, read from the environment the caller passes
// in, and the parsing of what each source answers. The I/O (reading the shared file,
// the GETs to the container endpoint and IMDSv2) belongs to the control thread's client,
// which follows the order here:
//   1. AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN;
//   2. the shared credentials file (AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials)
//      and its profile (AWS_PROFILE, else "default");
//   3. the ECS container credentials endpoint: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI on
//      http://169.254.170.2, or AWS_CONTAINER_CREDENTIALS_FULL_URI with the Authorization
//      value of AWS_CONTAINER_AUTHORIZATION_TOKEN (or the file named by
//      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE);
//   4. EC2 instance metadata, IMDSv2 (a PUT for a session token, then GETs), at
//      AWS_EC2_METADATA_SERVICE_ENDPOINT or http://169.254.169.254.
// Temporary credentials carry their expiration; they are refreshed kRefreshAhead before.
//
// Thread affinity: none (pure functions, values). Ownership: values.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace tern::discovery {

struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::optional<std::string> session_token;
  // Temporary credentials expire; long-term ones (environment, file) do not.
  std::optional<std::chrono::system_clock::time_point> expiration;
  std::string source;  // "environment", "shared file (profile default)", ...
};

// An environment lookup: the variable's value, or nullopt when it is not set.
using Getenv = std::function<std::optional<std::string>(std::string_view name)>;
// The process environment (std::getenv).
Getenv process_environment();

struct CredentialsResult {
  std::optional<AwsCredentials> credentials;  // none and no error: this source does not apply
  std::string error;                          // the source applies but is unusable
};

// Step 1. Only one of the key id and the secret set is an error (as the SDKs say).
CredentialsResult from_environment(const Getenv& env);

// Step 2: where the file is, which profile, and the file's content parsed (INI:
// `[profile]` sections of `key = value`; `#`/`;` comments).
std::string shared_credentials_path(const Getenv& env);
std::string profile_name(const Getenv& env);
CredentialsResult parse_shared_credentials(std::string_view text, std::string_view profile);

// Step 3: the endpoint to GET, when the environment names one.
struct ContainerEndpoint {
  std::string url;   // http://169.254.170.2/v2/credentials/..., or the full URI as given
  std::string host;  // for the connection and the Host header
  uint16_t port = 80;
  std::string target;  // path and query
  bool https = false;
  std::string authorization;  // the Authorization value to send; empty: none
};
struct ContainerEndpointResult {
  std::optional<ContainerEndpoint> endpoint;  // none and no error: step 3 does not apply
  std::string error;
};
// `read_file` reads AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (nullopt: unreadable). A full
// URI over plain http must name a loopback address or ECS's/EKS's link-local endpoints
// (169.254.170.2, 169.254.170.23, fd00:ec2::23), as the SDKs require.
ContainerEndpointResult container_endpoint(
    const Getenv& env,
    const std::function<std::optional<std::string>(const std::string&)>& read_file);

// The JSON the container endpoint and IMDS answer:
// {"AccessKeyId","SecretAccessKey","Token","Expiration":"2025-03-01T23:58:00Z",...};
// IMDS adds "Code", which must be "Success".
CredentialsResult parse_credentials_json(std::string_view body, std::string_view source);

// Step 4: IMDSv2's endpoint and paths.
std::string imds_endpoint(const Getenv& env);  // "http://169.254.169.254" or the override
inline constexpr std::string_view kImdsTokenPath = "/latest/api/token";
inline constexpr std::string_view kImdsTokenTtlHeader = "X-aws-ec2-metadata-token-ttl-seconds";
inline constexpr std::string_view kImdsTokenHeader = "X-aws-ec2-metadata-token";
inline constexpr std::string_view kImdsRolePath = "/latest/meta-data/iam/security-credentials/";
// The role name IMDS lists (the first line of the answer), or empty.
std::string imds_role(std::string_view listing);

// "2025-03-01T23:58:00Z" (also with fractional seconds); nullopt when malformed.
std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text);

// Refresh this long before temporary credentials expire.
inline constexpr std::chrono::minutes kRefreshAhead{5};
bool needs_refresh(const AwsCredentials& credentials, std::chrono::system_clock::time_point now);

}  // namespace tern::discovery
