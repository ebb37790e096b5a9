#include "lb/http/request_target.hpp"

#include <gtest/gtest.h>

namespace tern::http {
namespace {

using Form = RequestTarget::Form;

struct TargetCase {
  const char* target;
  Form form;
  const char* authority;
  const char* path;
};

class RequestTargetForms : public ::testing::TestWithParam<TargetCase> {};

TEST_P(RequestTargetForms, SplitsAsRfc9112Says) {
  const TargetCase& c = GetParam();
  RequestTarget t = parse_request_target(c.target);
  EXPECT_EQ(t.form, c.form) << c.target;
  if (c.form == Form::kAbsolute) {
    EXPECT_EQ(t.authority, c.authority) << c.target;
    EXPECT_EQ(t.path, c.path) << c.target;
  }
}

INSTANTIATE_TEST_SUITE_P(
    All, RequestTargetForms,
    ::testing::Values(
        TargetCase{"/", Form::kOrigin, "", "/"},
        TargetCase{"/a/b?x=1", Form::kOrigin, "", "/a/b?x=1"},
        TargetCase{"*", Form::kAsterisk, "", "*"},
        TargetCase{"http://example.com/echo?q=1", Form::kAbsolute, "example.com", "/echo?q=1"},
        TargetCase{"HTTP://Example.com:8080", Form::kAbsolute, "Example.com:8080", ""},
        TargetCase{"https://h?q", Form::kAbsolute, "h", "?q"},
        TargetCase{"http://[::1]:80/x", Form::kAbsolute, "[::1]:80", "/x"},
        TargetCase{"http://user@h/x", Form::kInvalid, "", ""},
        TargetCase{"http:///x", Form::kInvalid, "", ""},
        TargetCase{"http://h/x#frag", Form::kAbsolute, "h", "/x#frag"},
        TargetCase{"http://h#frag", Form::kInvalid, "", ""},
        TargetCase{"ftp://h/x", Form::kInvalid, "", ""}, TargetCase{"h:80", Form::kInvalid, "", ""},
        TargetCase{"", Form::kInvalid, "", ""}, TargetCase{"x", Form::kInvalid, "", ""}));

TEST(HostValue, AcceptsRegNamesIpLiteralsAndPorts) {
  for (const char* host : {"", "example.com", "EXAMPLE.com:80", "a-b_c~d.e", "10.0.0.1:65535",
                           "[::1]", "[2001:db8::1]:443", "xn--bcher-kva.example", "h%41st", "h:"}) {
    EXPECT_TRUE(is_valid_host(host)) << host;
  }
}

TEST(HostValue, RejectsWhitespaceSlashesUserinfoAndBadPorts) {
  for (const char* host : {"exa mple.com", "a/b", "a@b", "h:99999", "h:8x", "[::1", "::1", "h%4",
                           "h%zz", ":80", "a\\b", "h\"", "[::g]"}) {
    EXPECT_FALSE(is_valid_host(host)) << host;
  }
}

}  // namespace
}  // namespace tern::http
