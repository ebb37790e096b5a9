// Path and host normalization (spec/config.md "Matching, exactly"; RFC 3986 §6.2.2, §5.2.4).
#include "lb/router/normalize.hpp"

#include <gtest/gtest.h>

#include <string>

#include "tests/unit/router/router_test_util.hpp"

namespace tern::router {
namespace {

struct PathCase {
  const char* in;
  PathStatus status;
  const char* out;
};

class NormalizePath : public ::testing::TestWithParam<PathCase> {};

TEST_P(NormalizePath, AsRfc3986Says) {
  const PathCase& c = GetParam();
  std::string out = "garbage from a previous request";
  EXPECT_EQ(normalize_path(c.in, out), c.status) << c.in;
  if (c.status == PathStatus::kOk) {
    EXPECT_EQ(out, c.out) << c.in;
  }
}

INSTANTIATE_TEST_SUITE_P(
    All, NormalizePath,
    ::testing::Values(
        PathCase{"/", PathStatus::kOk, "/"}, PathCase{"/a/b", PathStatus::kOk, "/a/b"},
        PathCase{"/a/b/", PathStatus::kOk, "/a/b/"},
        // RFC 3986 §5.4 style dot segments.
        PathCase{"/a/b/c/./../../g", PathStatus::kOk, "/a/g"},
        PathCase{"/a/./b", PathStatus::kOk, "/a/b"}, PathCase{"/a/.", PathStatus::kOk, "/a/"},
        PathCase{"/a/b/..", PathStatus::kOk, "/a/"}, PathCase{"/a/..", PathStatus::kOk, "/"},
        PathCase{"/a/../", PathStatus::kOk, "/"}, PathCase{"/.", PathStatus::kOk, "/"},
        PathCase{"/./", PathStatus::kOk, "/"}, PathCase{"/a//../b", PathStatus::kOk, "/a/b"},
        PathCase{"//a", PathStatus::kOk, "//a"}, PathCase{"/a/.../b", PathStatus::kOk, "/a/.../b"},
        PathCase{"/a/..b/.c", PathStatus::kOk, "/a/..b/.c"},
        // Climbing above the root is refused, not clamped.
        PathCase{"/..", PathStatus::kAboveRoot, ""}, PathCase{"/../a", PathStatus::kAboveRoot, ""},
        PathCase{"/a/../..", PathStatus::kAboveRoot, ""},
        PathCase{"/a/./../../b", PathStatus::kAboveRoot, ""},
        // Encoded dots are dot segments after decoding.
        PathCase{"/a/%2e%2E/b", PathStatus::kOk, "/b"}, PathCase{"/%2e", PathStatus::kOk, "/"},
        PathCase{"/%2e%2e/etc/passwd", PathStatus::kAboveRoot, ""},
        PathCase{"/a/.%2e", PathStatus::kOk, "/"},
        // Unreserved escapes decoded, others kept with upper-case hex.
        PathCase{"/%7Euser/%41%62%63%2D%5F%2E%30", PathStatus::kOk, "/~user/Abc-_.0"},
        PathCase{"/a%2fb", PathStatus::kOk, "/a%2Fb"},
        PathCase{"/a%2Fb", PathStatus::kOk, "/a%2Fb"},
        PathCase{"/a%2F..", PathStatus::kOk, "/a%2F.."},
        PathCase{"/caf%c3%a9", PathStatus::kOk, "/caf%C3%A9"},
        PathCase{"/a%20b%3f", PathStatus::kOk, "/a%20b%3F"},
        PathCase{"/100%25", PathStatus::kOk, "/100%25"},
        // Invalid escapes.
        PathCase{"/a%", PathStatus::kInvalidEscape, ""},
        PathCase{"/a%2", PathStatus::kInvalidEscape, ""},
        PathCase{"/a%zz", PathStatus::kInvalidEscape, ""},
        PathCase{"/a%g1/b", PathStatus::kInvalidEscape, ""},
        PathCase{"/%%32%30", PathStatus::kInvalidEscape, ""},
        // Not a path.
        PathCase{"", PathStatus::kNotAbsolute, ""}, PathCase{"a/b", PathStatus::kNotAbsolute, ""}));

TEST(NormalizeHost, LowerCaseNoPortNoTrailingDot) {
  struct Case {
    const char* in;
    const char* host;
    const char* port;
  };
  for (const Case& c :
       {Case{"Example.COM", "example.com", ""}, Case{"example.com:8080", "example.com", "8080"},
        Case{"EXAMPLE.com.:80", "example.com", "80"}, Case{"example.com.", "example.com", ""},
        Case{"[::1]", "[::1]", ""}, Case{"[2001:DB8::1]:443", "[2001:db8::1]", "443"},
        Case{"10.0.0.1:81", "10.0.0.1", "81"}, Case{"", "", ""}, Case{"h:", "h", ""}}) {
    const HostPort split = split_host_port(c.in);
    std::string host;
    normalize_host(split.host, host);
    EXPECT_EQ(host, c.host) << c.in;
    EXPECT_EQ(split.port, c.port) << c.in;
  }
}

TEST(NormalizeEscapes, PatternsGetThePathsNormalization) {
  EXPECT_EQ(normalize_escapes("/%7euser/*"), "/~user/*");
  EXPECT_EQ(normalize_escapes("/a%2fb"), "/a%2Fb");
  EXPECT_EQ(normalize_escapes("/100%"), "/100%");
  EXPECT_EQ(normalize_escapes("/x%zz"), "/x%zz");
}

// prepare_request: what rules see of a parsed head.
TEST(PrepareRequest, OriginForm) {
  test::TestRequest t("/a/./b%7e?x=1&y", {{"Host", "API.Example.com:8080"}});
  ASSERT_EQ(t.status(), PrepareStatus::kOk);
  const Request& r = t.request();
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.host, "api.example.com");
  EXPECT_EQ(r.host_port, "8080");
  EXPECT_EQ(r.path, "/a/b~");
  EXPECT_EQ(r.query, "x=1&y");
  EXPECT_TRUE(r.has_query);
  std::string target;
  forward_target(r, target);
  EXPECT_EQ(target, "/a/b~?x=1&y");
}

TEST(PrepareRequest, FirstHostLineWins) {
  test::TestRequest t("/", {{"host", "one.example"}, {"Host", "two.example"}});
  EXPECT_EQ(t.request().host, "one.example");
}

TEST(PrepareRequest, AbsoluteFormAuthorityOverridesHost) {
  test::TestRequest t("http://Abs.Example:81/p?q", {{"Host", "ignored.example"}});
  ASSERT_EQ(t.status(), PrepareStatus::kOk);
  EXPECT_EQ(t.request().host, "abs.example");
  EXPECT_EQ(t.request().host_port, "81");
  EXPECT_EQ(t.request().path, "/p");
  EXPECT_EQ(t.request().query, "q");
}

TEST(PrepareRequest, AbsoluteFormWithoutPathIsRoot) {
  test::TestRequest t("http://h?q");
  EXPECT_EQ(t.request().path, "/");
  EXPECT_EQ(t.request().query, "q");
  test::TestRequest u("http://h");
  EXPECT_EQ(u.request().path, "/");
  EXPECT_FALSE(u.request().has_query);
}

TEST(PrepareRequest, EmptyQueryIsKeptForForwarding) {
  test::TestRequest t("/p?", {{"Host", "h"}});
  EXPECT_TRUE(t.request().has_query);
  EXPECT_EQ(t.request().query, "");
  std::string target;
  forward_target(t.request(), target);
  EXPECT_EQ(target, "/p?");
}

TEST(PrepareRequest, QueryIsNotNormalized) {
  test::TestRequest t("/p/../q?a=/../%7e&b=%zz", {{"Host", "h"}});
  ASSERT_EQ(t.status(), PrepareStatus::kOk);
  EXPECT_EQ(t.request().path, "/q");
  EXPECT_EQ(t.request().query, "a=/../%7e&b=%zz");
}

TEST(PrepareRequest, AsteriskForm) {
  test::TestRequest t("*", {{"Host", "h"}}, "OPTIONS");
  ASSERT_EQ(t.status(), PrepareStatus::kOk);
  EXPECT_EQ(t.request().path, "*");
  std::string target;
  forward_target(t.request(), target);
  EXPECT_EQ(target, "*");
}

TEST(PrepareRequest, BadPathsAre400) {
  for (const char* target : {"/../x", "/a%zz", "/a/%2e%2e/%2e%2e/b", "ftp://h/x", "x"}) {
    test::TestRequest t(target, {{"Host", "h"}});
    EXPECT_EQ(t.status(), PrepareStatus::kBadRequest) << target;
  }
}

TEST(PrepareRequest, NoHostIsEmptyHost) {
  test::TestRequest t("/");
  EXPECT_EQ(t.request().host, "");
}

TEST(PrepareRequest, FragmentIsDropped) {
  test::TestRequest t("http://h/x?q#frag");
  EXPECT_EQ(t.request().path, "/x");
  EXPECT_EQ(t.request().query, "q");
}

}  // namespace
}  // namespace tern::router
