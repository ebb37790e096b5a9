// The AWS credentials chain's pure pieces: which source applies from the environment, the
// shared file's profiles, the container endpoint's rules, the JSON answers, expiry.
#include "lb/discovery/credentials.hpp"

#include <gtest/gtest.h>

#include <map>

namespace tern::discovery {
namespace {

Getenv env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

std::optional<std::string> no_file(const std::string&) {
  return std::nullopt;
}

TEST(Credentials, EnvironmentWithAndWithoutSessionToken) {
  auto r =
      from_environment(env_of({{"AWS_ACCESS_KEY_ID", "AKID"}, {"AWS_SECRET_ACCESS_KEY", "S"}}));
  ASSERT_TRUE(r.credentials);
  EXPECT_EQ(r.credentials->access_key_id, "AKID");
  EXPECT_FALSE(r.credentials->session_token);
  EXPECT_FALSE(r.credentials->expiration);
  r = from_environment(env_of(
      {{"AWS_ACCESS_KEY_ID", "AKID"}, {"AWS_SECRET_ACCESS_KEY", "S"}, {"AWS_SESSION_TOKEN", "T"}}));
  EXPECT_EQ(r.credentials->session_token, "T");
  r = from_environment(env_of({}));
  EXPECT_FALSE(r.credentials);
  EXPECT_EQ(r.error, "");  // not this source
  r = from_environment(env_of({{"AWS_ACCESS_KEY_ID", "AKID"}}));
  EXPECT_FALSE(r.credentials);
  EXPECT_EQ(r.error, "AWS_SECRET_ACCESS_KEY is not set while AWS_ACCESS_KEY_ID is");
}

TEST(Credentials, SharedFileProfiles) {
  const std::string text =
      "# comment\n[default]\naws_access_key_id = AKID1\naws_secret_access_key=S1\n\n"
      "[prod]\r\n; other\r\naws_access_key_id = AKID2\r\naws_secret_access_key = S2\r\n"
      "aws_session_token = T2\r\n";
  auto r = parse_shared_credentials(text, "default");
  ASSERT_TRUE(r.credentials) << r.error;
  EXPECT_EQ(r.credentials->access_key_id, "AKID1");
  EXPECT_EQ(r.credentials->secret_access_key, "S1");
  r = parse_shared_credentials(text, "prod");
  ASSERT_TRUE(r.credentials) << r.error;
  EXPECT_EQ(r.credentials->session_token, "T2");
  EXPECT_EQ(r.credentials->source, "shared file (profile prod)");
  r = parse_shared_credentials(text, "missing");
  EXPECT_FALSE(r.credentials);
  EXPECT_EQ(r.error, "");
  r = parse_shared_credentials("[p]\naws_access_key_id = A\n", "p");
  EXPECT_EQ(r.error, "profile p lacks aws_access_key_id or aws_secret_access_key");
  r = parse_shared_credentials("[p\n", "p");
  EXPECT_EQ(r.error, "line 1: a section header without ']'");
  EXPECT_EQ(shared_credentials_path(env_of({{"HOME", "/root"}})), "/root/.aws/credentials");
  EXPECT_EQ(shared_credentials_path(env_of({{"AWS_SHARED_CREDENTIALS_FILE", "/x"}})), "/x");
  EXPECT_EQ(profile_name(env_of({})), "default");
  EXPECT_EQ(profile_name(env_of({{"AWS_PROFILE", "prod"}})), "prod");
}

TEST(Credentials, ContainerEndpointRelativeAndFull) {
  auto r = container_endpoint(
      env_of({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc"}}), no_file);
  ASSERT_TRUE(r.endpoint) << r.error;
  EXPECT_EQ(r.endpoint->url, "http://169.254.170.2/v2/credentials/abc");
  EXPECT_EQ(r.endpoint->host, "169.254.170.2");
  EXPECT_EQ(r.endpoint->target, "/v2/credentials/abc");
  EXPECT_EQ(r.endpoint->authorization, "");
  r = container_endpoint(
      env_of({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:51679/creds"},
              {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "tok"}}),
      no_file);
  ASSERT_TRUE(r.endpoint) << r.error;
  EXPECT_EQ(r.endpoint->port, 51679);
  EXPECT_EQ(r.endpoint->target, "/creds");
  EXPECT_EQ(r.endpoint->authorization, "tok");
  r = container_endpoint(env_of({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://[fd00:ec2::23]/v1"},
                                 {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/t"}}),
                         [](const std::string& p) -> std::optional<std::string> {
                           return p == "/t" ? std::optional<std::string>("from-file\n")
                                            : std::nullopt;
                         });
  ASSERT_TRUE(r.endpoint) << r.error;
  EXPECT_EQ(r.endpoint->host, "fd00:ec2::23");
  EXPECT_EQ(r.endpoint->authorization, "from-file");
  // Plain http to anywhere else is refused (the SDKs' rule): a token must not leak.
  r = container_endpoint(env_of({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://10.0.0.5/creds"}}),
                         no_file);
  EXPECT_FALSE(r.endpoint);
  EXPECT_NE(r.error.find("not 10.0.0.5"), std::string::npos) << r.error;
  r = container_endpoint(
      env_of({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "https://creds.example/x"}}), no_file);
  ASSERT_TRUE(r.endpoint) << r.error;
  EXPECT_TRUE(r.endpoint->https);
  EXPECT_EQ(r.endpoint->port, 443);
  r = container_endpoint(env_of({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "ftp://x/"}}), no_file);
  EXPECT_FALSE(r.endpoint);
  r = container_endpoint(env_of({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1/"},
                                 {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/missing"}}),
                         no_file);
  EXPECT_EQ(r.error, "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE /missing");
  EXPECT_FALSE(container_endpoint(env_of({}), no_file).endpoint);
}

TEST(Credentials, JsonAnswersOfTheContainerEndpointAndImds) {
  auto r = parse_credentials_json(
      R"({"AccessKeyId":"ASIA1","Expiration":"2025-03-01T23:58:00Z","RoleArn":"arn:aws:iam::1:role/web","SecretAccessKey":"S","Token":"T"})",
      "container endpoint");
  ASSERT_TRUE(r.credentials) << r.error;
  EXPECT_EQ(r.credentials->session_token, "T");
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*r.credentials->expiration), 1740873480);
  r = parse_credentials_json(
      R"({"Code":"Success","LastUpdated":"2025-03-01T17:00:00Z","Type":"AWS-HMAC","AccessKeyId":"ASIA2","SecretAccessKey":"S","Token":"T","Expiration":"2025-03-01T23:00:00.123Z"})",
      "IMDS");
  ASSERT_TRUE(r.credentials) << r.error;
  r = parse_credentials_json(R"({"Code":"Failure","Message":"no role"})", "IMDS");
  EXPECT_EQ(r.error, "IMDS: Code is Failure");
  r = parse_credentials_json(R"({"AccessKeyId":"A"})", "IMDS");
  EXPECT_EQ(r.error, "IMDS: AccessKeyId or SecretAccessKey missing");
  r = parse_credentials_json(R"({"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"soon"})",
                             "x");
  EXPECT_EQ(r.error, "x: Expiration is not an ISO 8601 UTC time");
  r = parse_credentials_json("not json", "x");
  EXPECT_EQ(r.error, "x: the answer is not a JSON object");
}

TEST(Credentials, ImdsAndTimes) {
  EXPECT_EQ(imds_endpoint(env_of({})), "http://169.254.169.254");
  EXPECT_EQ(
      imds_endpoint(env_of({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1338/"}})),
      "http://127.0.0.1:1338");
  EXPECT_EQ(imds_role("web-role\nother\n"), "web-role");
  EXPECT_FALSE(parse_iso8601("2025-13-01T00:00:00Z"));
  EXPECT_FALSE(parse_iso8601("2025-03-01 00:00:00Z"));
  EXPECT_FALSE(parse_iso8601("2025-03-01T00:00:00"));
  EXPECT_FALSE(parse_iso8601("2025-03-01T00:00:00.Z"));
  const auto t = parse_iso8601("2025-03-01T23:58:00Z");
  ASSERT_TRUE(t);
  AwsCredentials c;
  EXPECT_FALSE(needs_refresh(c, *t));  // long-term credentials never
  c.expiration = *t;
  EXPECT_FALSE(needs_refresh(c, *t - std::chrono::minutes(6)));
  EXPECT_TRUE(needs_refresh(c, *t - std::chrono::minutes(5)));
  EXPECT_TRUE(needs_refresh(c, *t + std::chrono::minutes(1)));
}

}  // namespace
}  // namespace tern::discovery
