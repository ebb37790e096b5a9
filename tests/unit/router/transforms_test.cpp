// url_rewrite and host_header_rewrite (spec "transforms"; ALB "Transforms for listener rules").
#include "lb/router/transforms.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "tests/unit/router/router_test_util.hpp"

namespace tern::router {
namespace {

using test::TestRequest;

Transforms compile(std::optional<config::Rewrite> url, std::optional<config::Rewrite> host) {
  config::Transforms t;
  t.url_rewrite = url;
  t.host_header_rewrite = host;
  std::vector<CompileError> errors;
  Transforms compiled = Transforms::compile(t, errors);
  EXPECT_TRUE(errors.empty()) << (errors.empty() ? "" : errors[0].message);
  return compiled;
}

config::Rewrite rw(const char* regex, const char* replace) {
  return {regex, replace, {}};
}

struct UrlCase {
  const char* regex;
  const char* replace;
  const char* target;
  TransformStatus status;
  const char* result;
};

class UrlRewrite : public ::testing::TestWithParam<UrlCase> {};

TEST_P(UrlRewrite, ReplacesTheFirstMatchOnPathAndQuery) {
  const UrlCase& c = GetParam();
  Transforms t = compile(rw(c.regex, c.replace), std::nullopt);
  TestRequest req(c.target, {{"Host", "h"}});
  Rewritten out;
  EXPECT_EQ(t.apply(req.request(), out), c.status) << c.target;
  if (c.status == TransformStatus::kOk) {
    EXPECT_EQ(out.target, c.result) << c.target;
  }
  EXPECT_FALSE(out.host_rewritten);
}

INSTANTIATE_TEST_SUITE_P(
    Alb, UrlRewrite,
    ::testing::Values(
        UrlCase{"^/users/(.*)$", "/$1", "/users/7/orders", TransformStatus::kOk, "/7/orders"},
        UrlCase{"^/users/(.*)$", "/$1", "/users/7?x=1", TransformStatus::kOk, "/7?x=1"},
        UrlCase{"^/users/(.*)$", "/$1", "/items/7", TransformStatus::kOk, "/items/7"},  // no match
        // ALB's documented example: a query string rewritten into the path.
        UrlCase{"^/app\\?page=([a-z]+)$", "/app/$1", "/app?page=home", TransformStatus::kOk,
                "/app/home"},
        UrlCase{"^/app$", "/app?lang=en", "/app", TransformStatus::kOk, "/app?lang=en"},
        // First match only.
        UrlCase{"a", "b", "/a/a/a", TransformStatus::kOk, "/b/a/a"},
        UrlCase{"(?i)^/API/", "/api/", "/Api/x", TransformStatus::kOk, "/api/x"},
        UrlCase{"^/(v[0-9])/(.*)$", "/$2/$1/$0", "/v2/a", TransformStatus::kOk, "/a/v2//v2/a"},
        // The regex sees the normalized path; the result is normalized again.
        UrlCase{"^/b/(.*)$", "/c/$1", "/a/../b/%7Ex", TransformStatus::kOk, "/c/~x"},
        UrlCase{"^/x/(.*)$", "/y/../$1", "/x/z", TransformStatus::kOk, "/z"},
        // A backslash in `replace` is literal (not an RE2 escape).
        UrlCase{"^/(.*)$", "/x\\y/$1", "/a", TransformStatus::kOk, "/x\\y/a"},
        // Results that are not a valid target: ALB answers 500.
        UrlCase{"^/(.*)$", "$1", "/a", TransformStatus::kFailed, ""},
        UrlCase{"^/(.*)$", "/$1 x", "/a", TransformStatus::kFailed, ""},
        UrlCase{"^/(.*)$", "/$1#frag", "/a", TransformStatus::kFailed, ""},
        UrlCase{"^/(.*)$", "/../$1", "/a", TransformStatus::kFailed, ""},
        UrlCase{"^/(.*)$", "/$1%zz", "/a", TransformStatus::kFailed, ""},
        UrlCase{"^.*$", "", "/a", TransformStatus::kFailed, ""}));

TEST(UrlRewrite, NoRewriteStillGivesTheNormalizedTarget) {
  Transforms t = compile(std::nullopt, std::nullopt);
  EXPECT_TRUE(t.empty());
  TestRequest req("/a/./b%7e?q=%7e", {{"Host", "h"}});
  Rewritten out;
  ASSERT_EQ(t.apply(req.request(), out), TransformStatus::kOk);
  EXPECT_EQ(out.target, "/a/b~?q=%7e");
}

struct HostCase {
  const char* regex;
  const char* replace;
  const char* host;
  TransformStatus status;
  bool rewritten;
  const char* result;
};

class HostHeaderRewrite : public ::testing::TestWithParam<HostCase> {};

TEST_P(HostHeaderRewrite, RewritesTheHostAndKeepsThePort) {
  const HostCase& c = GetParam();
  Transforms t = compile(std::nullopt, rw(c.regex, c.replace));
  TestRequest req("/p?q", {{"Host", c.host}});
  Rewritten out;
  EXPECT_EQ(t.apply(req.request(), out), c.status) << c.host;
  if (c.status != TransformStatus::kOk) return;
  EXPECT_EQ(out.target, "/p?q");
  EXPECT_EQ(out.host_rewritten, c.rewritten) << c.host;
  if (c.rewritten) {
    EXPECT_EQ(out.host, c.result) << c.host;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Alb, HostHeaderRewrite,
    ::testing::Values(
        // ALB's documented example.
        HostCase{"^mywebsite-(.+).com$", "internal.dev.$1.myweb.com", "mywebsite-example.com",
                 TransformStatus::kOk, true, "internal.dev.example.myweb.com"},
        HostCase{"^(.*)\\.example\\.com$", "$1.internal", "users.example.com:8080",
                 TransformStatus::kOk, true, "users.internal:8080"},
        HostCase{"^(.*)\\.example\\.com$", "$1.internal", "USERS.Example.com.",
                 TransformStatus::kOk, true, "users.internal"},
        HostCase{"^(.*)\\.EXAMPLE\\.com$", "$1.internal", "a.example.com", TransformStatus::kOk,
                 true, "a.internal"},  // case-insensitive like host conditions
        HostCase{"^(.*)\\.example\\.com$", "$1.internal", "other.org", TransformStatus::kOk, false,
                 ""},
        HostCase{"^.*$", "", "a.example.com", TransformStatus::kFailed, false, ""},
        HostCase{"^(.*)$", "$1/x", "a.example.com", TransformStatus::kFailed, false, ""},
        HostCase{"^(.*)$", "$1 x", "a.example.com", TransformStatus::kFailed, false, ""}));

TEST(Transforms, BothAtOnce) {
  Transforms t = compile(rw("^/users/(.*)$", "/$1"), rw("^api\\.(.*)$", "internal.$1"));
  TestRequest req("/users/1", {{"Host", "api.example.com:81"}});
  Rewritten out;
  ASSERT_EQ(t.apply(req.request(), out), TransformStatus::kOk);
  EXPECT_EQ(out.target, "/1");
  EXPECT_TRUE(out.host_rewritten);
  EXPECT_EQ(out.host, "internal.example.com:81");
}

TEST(Transforms, ReplaceSyntax) {
  EXPECT_EQ(to_re2_rewrite("/$1/$2"), "/\\1/\\2");
  EXPECT_EQ(to_re2_rewrite("a\\b"), "a\\\\b");
  EXPECT_EQ(to_re2_rewrite("$x$"), "$x$");
  config::Transforms bad;
  bad.url_rewrite = rw("^/(a)$", "/$3");
  bad.host_header_rewrite = rw("([", "x");
  std::vector<CompileError> errors;
  Transforms::compile(bad, errors);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_NE(errors[0].message.find("url_rewrite"), std::string::npos);
  EXPECT_NE(errors[1].message.find("host_header_rewrite"), std::string::npos);
}

}  // namespace
}  // namespace tern::router
