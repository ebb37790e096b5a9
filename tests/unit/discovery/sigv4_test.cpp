// The SigV4 signer against two independent references, copied into tests/data:
//   - the AWS signing test suite (aws-sigv4/, from awslabs/aws-c-auth): for every case,
//     the canonical request, string to sign, signature, Authorization header and the
//     headers added, when signing with the Authorization header;
//   - three ECS JSON 1.1 POSTs signed by botocore (aws-sigv4-ecs/cases.json), with and
//     without a session token: canonical request, string to sign, signature, added headers.
// Plus the pieces on their own (dates, encoding, key derivation, which headers are signed).
//
// Suite files not used: every case's query-*.txt (query signing, i.e. presigned URLs,
// which tern never sends). No whole case is skipped: the S3-style variants ("normalize":
// false, "sign_body": true) and "omit_session_token" are covered by SigningParams options.
// kSkippedCases lists a case to skip with its reason, should a new suite version need it.
#include "lb/discovery/sigv4.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace tern::discovery::sigv4 {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

const fs::path kDataDir = TERN_TEST_DATA_DIR;

// Case folder name -> why it is not run. Empty: every case of the suite applies.
const std::map<std::string, std::string> kSkippedCases = {};

// The number of case folders in the copied suite; a missing or emptied folder fails.
constexpr int kSuiteCases = 38;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

struct HttpMessage {
  SigningRequest request;
  Headers headers;  // as in the file, continuation lines kept in the value with their "\n"
};

// The suite's request.txt / header-signed-request.txt: "METHOD target HTTP/1.1", header
// lines "Name:value" (a line starting with whitespace continues the previous value, an
// obs-fold, RFC 9112 §5.2), an empty line, the body. The target may hold a raw space.
HttpMessage parse_http(const std::string& text) {
  HttpMessage msg;
  size_t pos = text.find('\n');
  const std::string first = text.substr(0, pos);
  const size_t method_end = first.find(' ');
  const std::string target = first.substr(method_end + 1, first.rfind(' ') - method_end - 1);
  msg.request.method = first.substr(0, method_end);
  const size_t q = target.find('?');
  msg.request.path = target.substr(0, q);
  msg.request.query = q == std::string::npos ? "" : target.substr(q + 1);
  while (pos != std::string::npos && pos + 1 < text.size()) {
    const size_t end = text.find('\n', pos + 1);
    const std::string line = text.substr(pos + 1, end == std::string::npos ? end : end - pos - 1);
    pos = end;
    if (line.empty()) {
      msg.request.body = end == std::string::npos ? "" : text.substr(end + 1);
      break;
    }
    if (line[0] == ' ' || line[0] == '\t') {
      msg.headers.back().second += "\n" + line;
      continue;
    }
    const size_t colon = line.find(':');
    msg.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  msg.request.headers = msg.headers;
  return msg;
}

// Headers as a sorted multiset with lower-case names, to compare regardless of order.
std::vector<std::pair<std::string, std::string>> normalized(const Headers& headers) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [name, value] : headers) out.emplace_back(lower(name), value);
  std::sort(out.begin(), out.end());
  return out;
}

std::string header_value(const Headers& headers, const std::string& name) {
  for (const auto& [n, v] : headers) {
    if (lower(n) == lower(name)) return v;
  }
  return "<absent>";
}

std::chrono::system_clock::time_point iso_time(std::string iso) {
  // "2015-08-30T12:36:00Z" -> "20150830T123600Z"
  std::erase(iso, '-');
  std::erase(iso, ':');
  const auto when = parse_amz_date(iso);
  EXPECT_TRUE(when.has_value()) << iso;
  return when.value_or(std::chrono::system_clock::time_point{});
}

SigningParams suite_params(const json::object& context) {
  const json::object& creds = context.at("credentials").as_object();
  SigningParams params;
  params.credentials.access_key_id = json::value_to<std::string>(creds.at("access_key_id"));
  params.credentials.secret_access_key = json::value_to<std::string>(creds.at("secret_access_key"));
  if (const auto* token = creds.if_contains("token")) {
    params.credentials.session_token = json::value_to<std::string>(*token);
  }
  params.region = json::value_to<std::string>(context.at("region"));
  params.service = json::value_to<std::string>(context.at("service"));
  params.host = "host-not-used.invalid";  // every suite request has its Host
  params.normalize_path = context.at("normalize").as_bool();
  params.add_content_sha256 = context.at("sign_body").as_bool();
  if (const auto* omit = context.if_contains("omit_session_token")) {
    params.sign_session_token = !omit->as_bool();
  }
  return params;
}

void check_suite_case(const fs::path& d) {
  const json::object context = json::parse(read_file(d / "context.json")).as_object();
  const HttpMessage input = parse_http(read_file(d / "request.txt"));
  const HttpMessage signed_msg = parse_http(read_file(d / "header-signed-request.txt"));
  const SigningResult result = sign(input.request, suite_params(context),
                                    iso_time(json::value_to<std::string>(context.at("timestamp"))));

  EXPECT_EQ(result.canonical_request, read_file(d / "header-canonical-request.txt"));
  EXPECT_EQ(result.string_to_sign, read_file(d / "header-string-to-sign.txt"));
  EXPECT_EQ(result.signature, read_file(d / "header-signature.txt"));
  EXPECT_EQ(header_value(result.headers, "Authorization"),
            header_value(signed_msg.headers, "Authorization"));
  // The signed request is exactly the input plus the added headers (no Host: it had one).
  Headers all = input.headers;
  all.insert(all.end(), result.headers.begin(), result.headers.end());
  EXPECT_EQ(normalized(all), normalized(signed_msg.headers));
  EXPECT_EQ(header_value(result.headers, "Host"), "<absent>");
}

TEST(Sigv4Suite, EveryHeaderSigningCaseMatches) {
  std::vector<fs::path> dirs;
  for (const auto& entry : fs::directory_iterator(kDataDir / "aws-sigv4")) {
    if (entry.is_directory()) dirs.push_back(entry.path());
  }
  std::sort(dirs.begin(), dirs.end());
  int ran = 0;
  for (const fs::path& dir : dirs) {
    const std::string name = dir.filename().string();
    if (kSkippedCases.contains(name)) continue;
    SCOPED_TRACE(name);
    check_suite_case(dir);
    ++ran;
  }
  std::cout << "[ sigv4    ] " << ran << " suite cases ran, " << kSkippedCases.size()
            << " skipped\n";
  EXPECT_EQ(ran + static_cast<int>(kSkippedCases.size()), kSuiteCases);
  EXPECT_EQ(static_cast<int>(dirs.size()), kSuiteCases);
}

// --- botocore ECS cases -----------------------------------------------------------------

struct EcsCase {
  std::string name;
  SigningRequest request;
  SigningParams params;
  std::chrono::system_clock::time_point when;
  json::object expected;
};

EcsCase ecs_case(const json::object& c) {
  EcsCase out;
  out.name = json::value_to<std::string>(c.at("name"));
  const json::object& creds = c.at("credentials").as_object();
  out.params.credentials.access_key_id = json::value_to<std::string>(creds.at("access_key_id"));
  out.params.credentials.secret_access_key =
      json::value_to<std::string>(creds.at("secret_access_key"));
  if (!creds.at("session_token").is_null()) {
    out.params.credentials.session_token = json::value_to<std::string>(creds.at("session_token"));
  }
  out.params.region = json::value_to<std::string>(c.at("region"));
  out.params.service = json::value_to<std::string>(c.at("service"));
  const json::object& req = c.at("request").as_object();
  const std::string url = json::value_to<std::string>(req.at("url"));  // https://host/path
  const size_t host_start = url.find("://") + 3;
  const size_t path_start = url.find('/', host_start);
  out.params.host = url.substr(host_start, path_start - host_start);
  out.request.method = json::value_to<std::string>(req.at("method"));
  out.request.path = url.substr(path_start);
  for (const auto& [name, value] : req.at("headers").as_object()) {
    out.request.headers.emplace_back(std::string(name), json::value_to<std::string>(value));
  }
  out.request.body = json::value_to<std::string>(req.at("body"));
  const auto when = parse_amz_date(json::value_to<std::string>(c.at("timestamp")));
  EXPECT_TRUE(when.has_value());
  out.when = when.value_or(std::chrono::system_clock::time_point{});
  out.expected = c;
  return out;
}

TEST(Sigv4Ecs, BotocoreCasesMatch) {
  const json::array cases =
      json::parse(read_file(kDataDir / "aws-sigv4-ecs" / "cases.json")).as_array();
  ASSERT_EQ(cases.size(), 3u);
  for (const json::value& v : cases) {
    const EcsCase c = ecs_case(v.as_object());
    SCOPED_TRACE(c.name);
    const SigningResult result = sign(c.request, c.params, c.when);
    const auto expect = [&](const char* key) {
      return json::value_to<std::string>(c.expected.at(key));
    };
    EXPECT_EQ(result.canonical_request, expect("canonical_request"));
    EXPECT_EQ(result.string_to_sign, expect("string_to_sign"));
    EXPECT_EQ(result.signature, expect("signature"));
    // Host comes first (the request had none), then exactly botocore's headers, in order.
    Headers want = {{"Host", "ecs.us-east-1.amazonaws.com"}};
    for (const auto& [name, value] : c.expected.at("headers_added_by_signing").as_object()) {
      want.emplace_back(std::string(name), json::value_to<std::string>(value));
    }
    EXPECT_EQ(result.headers, want);

    // What a stand-in server does: the request as received, Authorization aside.
    SigningRequest received = c.request;
    received.headers.insert(received.headers.end(), result.headers.begin(),
                            result.headers.end() - 1);
    EXPECT_EQ(canonical_request(received, true), expect("canonical_request"));
    const std::string date = format_amz_date(c.when);
    const std::string scope = credential_scope(date, c.params.region, c.params.service);
    EXPECT_EQ(signature(signing_key(c.params.credentials.secret_access_key, date.substr(0, 8),
                                    c.params.region, c.params.service),
                        string_to_sign(date, scope, canonical_request(received, true))),
              expect("signature"));
  }
}

// --- Pieces -----------------------------------------------------------------------------

TEST(Sigv4, AmzDateFormatsAndParses) {
  using namespace std::chrono;
  const auto t = sys_days{year{2026} / 11 / 30} + hours{12} + minutes{34} + seconds{56};
  EXPECT_EQ(format_amz_date(t), "20261130T123456Z");
  EXPECT_EQ(format_amz_date(t + milliseconds{999}), "20261130T123456Z");
  EXPECT_EQ(format_amz_date(sys_days{year{1999} / 1 / 2}), "19990102T000000Z");
  EXPECT_EQ(parse_amz_date("20261130T123456Z"), t);
  EXPECT_EQ(parse_amz_date("20240229T235959Z"),
            sys_days{year{2024} / 2 / 29} + hours{23} + minutes{59} + seconds{59});
  for (const char* bad : {"", "20261130T123456", "20261130 123456Z", "2026113OT123456Z",
                          "20230229T000000Z", "20261301T000000Z", "20261130T240000Z",
                          "20261130T126000Z", "20261130T123460Z", "20261130T123456Z0"}) {
    EXPECT_EQ(parse_amz_date(bad), std::nullopt) << bad;
  }
}

TEST(Sigv4, Primitives) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hex(std::string("\x00\x0f\xa0\xff", 4)), "000fa0ff");
  // RFC 4231 test case 2.
  EXPECT_EQ(hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // The AWS documentation's key derivation example.
  EXPECT_EQ(
      hex(signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam")),
      "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
  EXPECT_EQ(credential_scope("20261130T123456Z", "eu-west-3", "ecs"),
            "20261130/eu-west-3/ecs/aws4_request");
}

TEST(Sigv4, EncodesPathsAndQueries) {
  EXPECT_EQ(uri_encode("a b/c+d%~", false), "a%20b%2Fc%2Bd%25~");
  EXPECT_EQ(uri_encode("a b/c", true), "a%20b/c");
  EXPECT_EQ(canonical_uri("", true), "/");
  EXPECT_EQ(canonical_uri("/a/./b/../c//d/", true), "/a/c/d/");
  EXPECT_EQ(canonical_uri("/../..", true), "/");
  EXPECT_EQ(canonical_uri("/a%2Fb", true), "/a%252Fb");  // the path is not decoded: once
  EXPECT_EQ(canonical_uri("/a//b/./", false), "/a//b/./");
  EXPECT_EQ(canonical_query(""), "");
  EXPECT_EQ(canonical_query("b=2&a=3&a=1&c"), "a=1&a=3&b=2&c=");
  EXPECT_EQ(canonical_query("k=a+b&s=a%20b&p=%zz&u=%c3%A9&&"), "k=a%2Bb&p=%25zz&s=a%20b&u=%C3%A9");
  EXPECT_EQ(canonical_query("x=1=2"), "x=1%3D2");
}

TEST(Sigv4, CanonicalHeadersJoinTrimAndSort) {
  const CanonicalHeaders h =
      canonical_headers({{"X-B", "  two   words\t here "}, {"x-a", "1"}, {"X-A", " 2 "}});
  EXPECT_EQ(h.text, "x-a:1,2\nx-b:two words here\n");
  EXPECT_EQ(h.signed_headers, "x-a;x-b");
}

SigningParams simple_params() {
  SigningParams p;
  p.credentials = {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", std::nullopt};
  p.region = "us-east-1";
  p.service = "ecs";
  p.host = "127.0.0.1:8443";
  return p;
}

TEST(Sigv4, SignerOwnsItsHeadersAndSkipsHopHeaders) {
  const auto when = *parse_amz_date("20261130T123456Z");
  SigningRequest req{"POST", "/", "", {{"Content-Type", "application/x-amz-json-1.1"}}, "{}"};
  const SigningResult plain = sign(req, simple_params(), when);
  EXPECT_EQ(header_value(plain.headers, "Host"), "127.0.0.1:8443");

  // Fields a hop may change, and stale signer fields, do not enter the signature.
  SigningRequest noisy = req;
  noisy.headers.insert(noisy.headers.end(), {{"User-Agent", "tern"},
                                             {"Connection", "keep-alive"},
                                             {"X-Amz-Date", "19990101T000000Z"},
                                             {"authorization", "stale"},
                                             {"X-Amz-Security-Token", "stale"}});
  const SigningResult noisy_result = sign(noisy, simple_params(), when);
  EXPECT_EQ(noisy_result.canonical_request, plain.canonical_request);
  EXPECT_EQ(noisy_result.headers, plain.headers);

  // A caller's Host (any case) is signed and not added again.
  SigningRequest hosted = req;
  hosted.headers.emplace_back("HOST", "ecs.example");
  const SigningResult hosted_result = sign(hosted, simple_params(), when);
  EXPECT_EQ(header_value(hosted_result.headers, "Host"), "<absent>");
  EXPECT_NE(hosted_result.canonical_request.find("\nhost:ecs.example\n"), std::string::npos);

  // A session token is signed (botocore) and changes the signature.
  SigningParams with_token = simple_params();
  with_token.credentials.session_token = "TOKEN";
  const SigningResult token_result = sign(req, with_token, when);
  EXPECT_EQ(header_value(token_result.headers, "X-Amz-Security-Token"), "TOKEN");
  EXPECT_NE(token_result.signature, plain.signature);
  EXPECT_NE(header_value(token_result.headers, "Authorization")
                .find("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,"),
            std::string::npos);

  // Any change to what is signed changes the signature.
  SigningRequest other_body = req;
  other_body.body = "{ }";
  EXPECT_NE(sign(other_body, simple_params(), when).signature, plain.signature);
  EXPECT_NE(sign(req, simple_params(), when + std::chrono::seconds{1}).signature, plain.signature);
}

}  // namespace
}  // namespace tern::discovery::sigv4
