// Every condition type against ALB's documented behaviour and its edge cases
// (spec/config.md "Matching, exactly"). Each case compiles one rule and routes one
// request through both the indexed matcher and the linear one.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "lb/router/compiled_rules.hpp"
#include "tests/unit/router/router_test_util.hpp"

namespace tern::router {
namespace {

using test::TestRequest;
using Headers = std::vector<std::pair<std::string, std::string>>;

bool routes_to_rule(const config::Conditions& conditions, const TestRequest& t) {
  auto compiled = CompiledRules::compile({test::rule(1, conditions)}, test::forward("default"));
  EXPECT_TRUE(compiled.errors.empty());
  if (!compiled.rules) return false;
  EXPECT_EQ(t.status(), PrepareStatus::kOk);
  const Route& indexed = compiled.rules->match(t.request());
  const Route& linear = compiled.rules->match_linear(t.request());
  EXPECT_EQ(indexed.index, linear.index);
  return !indexed.is_default;
}

// ---- host_header -------------------------------------------------------------------

struct HostCase {
  config::MatchValues values;
  const char* host;
  bool match;
};

class HostHeader : public ::testing::TestWithParam<HostCase> {};

TEST_P(HostHeader, MatchesTheHostWithoutPortCaseInsensitively) {
  const HostCase& c = GetParam();
  config::Conditions conditions;
  conditions.host_header = c.values;
  TestRequest t("/", {{"Host", c.host}});
  EXPECT_EQ(routes_to_rule(conditions, t), c.match) << "Host: " << c.host;
}

using test::regexes;
using test::values;

INSTANTIATE_TEST_SUITE_P(
    Alb, HostHeader,
    ::testing::Values(
        HostCase{values({"example.com"}), "example.com", true},
        HostCase{values({"example.com"}), "EXAMPLE.Com", true},
        HostCase{values({"example.com"}), "example.com:8080", true},
        HostCase{values({"example.com"}), "example.com.", true},
        HostCase{values({"example.com"}), "Example.COM.:443", true},
        HostCase{values({"example.com"}), "www.example.com", false},
        HostCase{values({"example.com"}), "example.co", false},
        HostCase{values({"Example.COM"}), "example.com", true},
        // "*.example.com" does not match example.com itself.
        HostCase{values({"*.example.com"}), "www.example.com", true},
        HostCase{values({"*.example.com"}), "a.b.example.com", true},
        HostCase{values({"*.example.com"}), "WWW.Example.com:80", true},
        HostCase{values({"*.example.com"}), "example.com", false},
        HostCase{values({"*.example.com"}), "wwwexample.com", false},
        HostCase{values({"www.example.?om"}), "www.example.com", true},
        HostCase{values({"www.example.?om"}), "www.example.om", false},
        HostCase{values({"api-??.example.com"}), "api-01.example.com", true},
        HostCase{values({"api-??.example.com"}), "api-1.example.com", false},
        HostCase{values({"api.*"}), "api.example.org", true},
        HostCase{values({"*example*"}), "my-example-site.net", true},
        HostCase{values({"*"}), "anything.at.all", true},
        HostCase{values({"a.example.com", "b.example.com"}), "b.example.com", true},
        HostCase{values({"a.example.com", "b.example.com"}), "c.example.com", false},
        HostCase{values({"10.0.0.1"}), "10.0.0.1:8080", true},
        // No Host at all (HTTP/1.0): the empty host matches only "*".
        HostCase{values({"example.com"}), "", false},
        // regex_values: RE2 search semantics, case-insensitive, on the normalized host.
        HostCase{regexes({"^api\\.(eu|us)\\.example\\.com$"}), "API.EU.example.com:8443", true},
        HostCase{regexes({"^api\\.(eu|us)\\.example\\.com$"}), "api.ap.example.com", false},
        HostCase{regexes({"example"}), "www.example.org", true},
        HostCase{regexes({"^example\\.com$"}), "example.com.", true},
        HostCase{regexes({":8080"}), "example.com:8080", false}));

// ---- path_pattern --------------------------------------------------------------------

struct PathCase {
  config::MatchValues values;
  const char* target;
  bool match;
};

class PathPattern : public ::testing::TestWithParam<PathCase> {};

TEST_P(PathPattern, MatchesTheWholeNormalizedPathCaseSensitively) {
  const PathCase& c = GetParam();
  config::Conditions conditions;
  conditions.path_pattern = c.values;
  TestRequest t(c.target, {{"Host", "example.com"}});
  EXPECT_EQ(routes_to_rule(conditions, t), c.match) << c.target;
}

INSTANTIATE_TEST_SUITE_P(
    Alb, PathPattern,
    ::testing::Values(
        PathCase{values({"/img/*"}), "/img/a.png", true},
        PathCase{values({"/img/*"}), "/img/", true},
        PathCase{values({"/img/*"}), "/img/a/b/c", true},
        PathCase{values({"/img/*"}), "/img", false},  // "/api/*" does not match "/api"
        PathCase{values({"/img/*"}), "/IMG/a.png", false},
        PathCase{values({"/img/*"}), "/x/img/a.png", false},
        PathCase{values({"/img/*/pics"}), "/img/a/pics", true},
        PathCase{values({"/img/*/pics"}), "/img/a/b/pics", true},
        PathCase{values({"/img/*/pics"}), "/img/a/pics/x", false},
        PathCase{values({"/api"}), "/api?x=1", true},  // never the query
        PathCase{values({"/api"}), "/api/", false},
        PathCase{values({"/api*"}), "/api?version=2", true},
        PathCase{values({"*version=2*"}), "/api?version=2", false},
        PathCase{values({"/a?c"}), "/abc", true}, PathCase{values({"/a?c"}), "/ac", false},
        PathCase{values({"*.jpg"}), "/x/y.jpg", true},
        PathCase{values({"*.jpg"}), "/x/y.JPG", false}, PathCase{values({"/"}), "/", true},
        PathCase{values({"/"}), "/x", false}, PathCase{values({"*"}), "/anything?at=all", true},
        PathCase{values({"/users", "/users/*"}), "/users", true},
        PathCase{values({"/users", "/users/*"}), "/users/7", true},
        PathCase{values({"/users", "/users/*"}), "/usersx", false},
        // The pattern sees the normalized path: escapes, dot segments.
        PathCase{values({"/~user/*"}), "/%7Euser/x", true},
        PathCase{values({"/%7euser/*"}), "/~user/x", true},
        PathCase{values({"/caf%C3%A9"}), "/caf%c3%a9", true},
        PathCase{values({"/admin/*"}), "/public/../admin/x", true},
        PathCase{values({"/admin/*"}), "/admin/./x", true},
        PathCase{values({"/public/*"}), "/public/%2e%2e/admin/x", false},
        PathCase{values({"/a/b"}), "/a%2Fb", false},  // %2F stays encoded
        PathCase{values({"/a%2Fb"}), "/a%2fb", true},
        // regex_values: search semantics, case-sensitive.
        PathCase{regexes({"^/v[0-9]+/orders/[0-9]+$"}), "/v2/orders/17", true},
        PathCase{regexes({"^/v[0-9]+/orders/[0-9]+$"}), "/V2/orders/17", false},
        PathCase{regexes({"^/v[0-9]+/orders/[0-9]+$"}), "/v2/orders/17/x", false},
        PathCase{regexes({"orders"}), "/v1/orders/1", true},
        PathCase{regexes({"x=1"}), "/p?x=1", false}));

// ---- http_header ---------------------------------------------------------------------

struct HeaderCase {
  std::vector<config::HeaderCondition> conditions;
  Headers headers;
  bool match;
};

class HttpHeader : public ::testing::TestWithParam<HeaderCase> {};

TEST_P(HttpHeader, AnyLineOfTheNamedHeaderMayMatch) {
  const HeaderCase& c = GetParam();
  config::Conditions conditions;
  conditions.http_header = c.conditions;
  Headers headers = c.headers;
  headers.insert(headers.begin(), {"Host", "example.com"});
  TestRequest t("/", headers);
  EXPECT_EQ(routes_to_rule(conditions, t), c.match);
}

using test::header;

INSTANTIATE_TEST_SUITE_P(
    Alb, HttpHeader,
    ::testing::Values(
        HeaderCase{{header("User-Agent", values({"*Mobile*"}))},
                   {{"User-Agent", "Mozilla/5.0 (iPhone) Mobile/15E148"}},
                   true},
        HeaderCase{{header("User-Agent", values({"*Mobile*"}))},
                   {{"user-agent", "Mozilla/5.0 (Linux; Android) mobile Safari"}},
                   true},  // name and value case-insensitive
        HeaderCase{{header("User-Agent", values({"*Mobile*"}))},
                   {{"User-Agent", "Mozilla/5.0 (X11; Linux)"}},
                   false},
        HeaderCase{{header("X-Canary", values({"on"}))}, {}, false},  // absent
        HeaderCase{{header("X-Canary", values({"on"}))}, {{"X-CANARY", "ON"}}, true},
        HeaderCase{{header("X-Canary", values({"on"}))}, {{"X-Canary", "on "}}, false},
        HeaderCase{{header("X-Canary", values({"on"}))}, {{"X-Canary-2", "on"}}, false},
        // Repeated header: any line may match.
        HeaderCase{{header("X-Tag", values({"b"}))}, {{"X-Tag", "a"}, {"X-Tag", "b"}}, true},
        HeaderCase{{header("X-Tag", values({"c"}))}, {{"X-Tag", "a"}, {"X-Tag", "b"}}, false},
        // A comma inside a line is not split.
        HeaderCase{{header("X-Tag", values({"b"}))}, {{"X-Tag", "a, b"}}, false},
        HeaderCase{{header("X-Tag", values({"a, b"}))}, {{"X-Tag", "a, b"}}, true},
        HeaderCase{{header("X-Tag", values({"*b"}))}, {{"X-Tag", "a, b"}}, true},
        HeaderCase{{header("X-Empty", values({"*"}))}, {{"X-Empty", ""}}, true},
        HeaderCase{{header("X-Empty", values({"?*"}))}, {{"X-Empty", ""}}, false},
        HeaderCase{{header("X-Version", values({"v1", "v2"}))}, {{"X-Version", "V2"}}, true},
        // A list of http_header maps is AND-ed.
        HeaderCase{{header("X-A", values({"1"})), header("X-B", values({"2"}))},
                   {{"X-A", "1"}, {"X-B", "2"}},
                   true},
        HeaderCase{
            {header("X-A", values({"1"})), header("X-B", values({"2"}))}, {{"X-A", "1"}}, false},
        HeaderCase{{header("X-A", values({"1"})), header("X-A", values({"2"}))},
                   {{"X-A", "1"}, {"X-A", "2"}},
                   true},
        // Host is a header too.
        HeaderCase{{header("Host", values({"example.com"}))}, {}, true},
        // regex_values: case-insensitive, search semantics.
        HeaderCase{{header("User-Agent", regexes({"(iphone|android)"}))},
                   {{"User-Agent", "Mozilla/5.0 (iPhone)"}},
                   true},
        HeaderCase{{header("User-Agent", regexes({"^curl/"}))},
                   {{"User-Agent", "Mozilla"}, {"User-Agent", "curl/8.0"}},
                   true}));

// ---- http_request_method -------------------------------------------------------------

TEST(HttpRequestMethod, ExactAndCaseSensitive) {
  struct Case {
    std::vector<std::string> methods;
    const char* method;
    bool match;
  };
  for (const Case& c : {Case{{"GET"}, "GET", true}, Case{{"GET"}, "get", false},
                        Case{{"GET", "HEAD"}, "HEAD", true}, Case{{"GET", "HEAD"}, "POST", false},
                        Case{{"PURGE"}, "PURGE", true}, Case{{"GET"}, "GETS", false},
                        Case{{"CUSTOM_M"}, "CUSTOM_M", true}}) {
    config::Conditions conditions;
    conditions.http_request_method = c.methods;
    TestRequest t("/", {{"Host", "h"}}, c.method);
    EXPECT_EQ(routes_to_rule(conditions, t), c.match) << c.method;
  }
}

// ---- query_string ----------------------------------------------------------------------

struct QueryCase {
  std::vector<config::QueryCondition> pairs;
  const char* target;
  bool match;
};

class QueryString : public ::testing::TestWithParam<QueryCase> {};

TEST_P(QueryString, AnyPairMayMatchAnyPair) {
  const QueryCase& c = GetParam();
  config::Conditions conditions;
  conditions.query_string = c.pairs;
  TestRequest t(c.target, {{"Host", "h"}});
  EXPECT_EQ(routes_to_rule(conditions, t), c.match) << c.target;
}

using test::query;

INSTANTIATE_TEST_SUITE_P(
    Alb, QueryString,
    ::testing::Values(QueryCase{{query("version", "v2")}, "/?version=v2", true},
                      QueryCase{{query("version", "v2")}, "/?VERSION=V2", true},
                      QueryCase{{query("version", "v2")}, "/?version=v1", false},
                      QueryCase{{query("version", "v2")}, "/?a=1&version=v2&b=2", true},
                      QueryCase{{query("version", "v2")}, "/", false},
                      QueryCase{{query("version", "v2")}, "/?", false},
                      QueryCase{{query("version", "v2")}, "/?version=v2x", false},
                      QueryCase{{query("version", "v2")}, "/?&&version=v2&", true},  // empty pieces
                      // Key optional: the value alone.
                      QueryCase{{query("beta")}, "/?x=beta", true},
                      QueryCase{{query("beta")}, "/?beta=x", false},
                      // "?beta" is the key beta with an empty value.
                      QueryCase{{query("beta")}, "/?beta", false},
                      QueryCase{{query("beta", "*")}, "/?beta", true},
                      QueryCase{{query("beta", "*")}, "/?beta=", true},
                      QueryCase{{query("beta", "*")}, "/?beta=on", true},
                      QueryCase{{query("beta", "*")}, "/?betas", false},
                      QueryCase{{query("version", "*")}, "/?version=", true},
                      QueryCase{{query("version", "?*")}, "/?version=", false},
                      // Wildcards in key and value.
                      QueryCase{{query("v*", "?")}, "/?ver=2", true},
                      QueryCase{{query("v*", "?")}, "/?ver=22", false},
                      QueryCase{{query("*example*")}, "/?site=my-EXAMPLE-page", true},
                      // "\*" and "\?" are literal characters.
                      QueryCase{{query("a\\*b")}, "/?x=a*b", true},
                      QueryCase{{query("a\\*b")}, "/?x=axxb", false},
                      QueryCase{{query("a\\*b")}, "/?x=a%2Ab", true},
                      QueryCase{{query("what\\?")}, "/?q=what%3F", true},
                      QueryCase{{query("what\\?")}, "/?q=whats", false},
                      QueryCase{{query("what?")}, "/?q=whats", true},
                      QueryCase{{query("a\\\\b")}, "/?q=a%5Cb", true},
                      // Split on the first '=', then percent-decoded ('+' is not a space).
                      QueryCase{{query("a", "b=c")}, "/?a=b=c", true},
                      QueryCase{{query("name", "john doe")}, "/?name=john%20doe", true},
                      QueryCase{{query("name", "john doe")}, "/?name=john+doe", false},
                      QueryCase{{query("version", "v2")}, "/?%76ersion=%76%32", true},
                      QueryCase{{query("a", "100%")}, "/?a=100%", true},  // invalid escape kept
                      QueryCase{{query("a%26b")}, "/?x=a%26b", true},     // pattern decoded too
                      // Several pairs: any of them.
                      QueryCase{{query("version", "v2"), query("beta")}, "/?x=beta", true},
                      QueryCase{{query("version", "v2"), query("beta")}, "/?version=v2", true},
                      QueryCase{
                          {query("version", "v2"), query("beta")}, "/?version=v3&x=gamma", false},
                      // Never the path.
                      QueryCase{{query("*users*")}, "/users", false}));

// ---- source_ip -------------------------------------------------------------------------

struct SourceCase {
  std::vector<std::string> cidrs;
  const char* peer;
  bool match;
};

class SourceIp : public ::testing::TestWithParam<SourceCase> {};

TEST_P(SourceIp, MatchesTheTcpPeer) {
  const SourceCase& c = GetParam();
  config::Conditions conditions;
  conditions.source_ip = c.cidrs;
  TestRequest t("/", {{"Host", "h"}, {"X-Forwarded-For", "10.9.9.9"}}, "GET", c.peer);
  EXPECT_EQ(routes_to_rule(conditions, t), c.match) << c.peer;
}

INSTANTIATE_TEST_SUITE_P(
    Alb, SourceIp,
    ::testing::Values(SourceCase{{"10.0.0.0/8"}, "10.1.2.3", true},
                      SourceCase{{"10.0.0.0/8"}, "11.0.0.1", false},
                      SourceCase{{"10.0.0.0/8"}, "::ffff:10.1.2.3", true},  // v4-mapped peer
                      SourceCase{{"192.168.1.0/24"}, "192.168.1.255", true},
                      SourceCase{{"192.168.1.0/24"}, "192.168.2.0", false},
                      SourceCase{{"172.16.0.0/12"}, "172.31.255.255", true},
                      SourceCase{{"172.16.0.0/12"}, "172.32.0.0", false},
                      SourceCase{{"10.1.2.3/32"}, "10.1.2.3", true},
                      SourceCase{{"10.1.2.3/32"}, "10.1.2.4", false},
                      SourceCase{{"0.0.0.0/0"}, "203.0.113.9", true},
                      SourceCase{{"0.0.0.0/0"}, "2001:db8::1", false},
                      SourceCase{{"2001:db8::/32"}, "2001:db8::1", true},
                      SourceCase{{"2001:db8::/32"}, "2001:DB8:ffff::1", true},
                      SourceCase{{"2001:db8::/32"}, "2001:db9::1", false},
                      SourceCase{{"2001:db8::/32"}, "10.0.0.1", false},
                      SourceCase{{"2001:db8:abcd:12::/63"}, "2001:db8:abcd:13::1", true},
                      SourceCase{{"2001:db8:abcd:12::/63"}, "2001:db8:abcd:14::1", false},
                      SourceCase{{"::/0"}, "::1", true},
                      SourceCase{{"::/0"}, "10.0.0.1", false},  // v6 blocks: v6 peers only
                      SourceCase{{"::1/128"}, "::1", true},
                      SourceCase{{"192.0.2.0/24", "2001:db8::/32"}, "2001:db8::5", true},
                      SourceCase{{"192.0.2.0/24", "2001:db8::/32"}, "192.0.2.5", true},
                      // X-Forwarded-For is never looked at.
                      SourceCase{{"10.9.9.9/32"}, "192.0.2.1", false}));

// ---- all together ----------------------------------------------------------------------

TEST(Conditions, AllListedConditionsMustHold) {
  config::Conditions c;
  c.host_header = values({"api.example.com"});
  c.path_pattern = values({"/users/*"});
  c.http_request_method = {"GET"};
  c.http_header = {header("X-Canary", values({"on"}))};
  c.query_string = {query("v", "2")};
  c.source_ip = {"10.0.0.0/8"};
  const Headers all{{"Host", "api.example.com"}, {"X-Canary", "on"}};
  EXPECT_TRUE(routes_to_rule(c, TestRequest("/users/1?v=2", all)));
  EXPECT_FALSE(routes_to_rule(c, TestRequest("/users/1?v=2", all, "POST")));
  EXPECT_FALSE(routes_to_rule(c, TestRequest("/users/1?v=3", all)));
  EXPECT_FALSE(routes_to_rule(c, TestRequest("/items/1?v=2", all)));
  EXPECT_FALSE(routes_to_rule(c, TestRequest("/users/1?v=2", all, "GET", "192.0.2.1")));
  EXPECT_FALSE(routes_to_rule(c, TestRequest("/users/1?v=2", {{"Host", "api.example.com"}})));
  EXPECT_FALSE(routes_to_rule(
      c, TestRequest("/users/1?v=2", {{"Host", "x.example.com"}, {"X-Canary", "on"}})));
}

}  // namespace
}  // namespace tern::router
