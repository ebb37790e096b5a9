// The small languages inside values: names, wildcards, methods, matchers, placeholders.
#include "config/syntax.hpp"

#include <gtest/gtest.h>

#include <string>

#include "config/text.hpp"

namespace tern::config {
namespace {

TEST(Syntax, ObjectNames) {
  EXPECT_EQ(check_object_name("users-canary_2.v1"), std::nullopt);
  EXPECT_EQ(check_object_name(std::string(64, 'a')), std::nullopt);
  EXPECT_EQ(check_object_name(std::string(65, 'a')), "is longer than 64 characters");
  EXPECT_EQ(check_object_name("a/b"),
            "character '/' is not allowed; expected letters, digits, '-', '_' and '.'");
  EXPECT_EQ(check_object_name(""), "must not be empty");
}

TEST(Syntax, Wildcards) {
  EXPECT_EQ(check_host_pattern("*.api.example.com"), std::nullopt);
  EXPECT_EQ(check_host_pattern("api-?.example.com"), std::nullopt);
  EXPECT_NE(check_host_pattern("api.example.com:80"), std::nullopt);
  EXPECT_NE(check_host_pattern(std::string(129, 'a')), std::nullopt);
  EXPECT_EQ(check_path_pattern("/users/*"), std::nullopt);
  EXPECT_EQ(check_path_pattern("/a%2Fb/~x@y:z+1&q=$'\"!(),;"), std::nullopt);
  EXPECT_NE(check_path_pattern("/a b"), std::nullopt);
  EXPECT_NE(check_path_pattern("/a#b"), std::nullopt);
  EXPECT_EQ(check_header_value_pattern("on"), std::nullopt);
  EXPECT_EQ(check_header_value_pattern("a value, with * and ?"), std::nullopt);
  EXPECT_NE(check_header_value_pattern("a\tb"), std::nullopt);
  EXPECT_EQ(check_query_pattern("v2", false), std::nullopt);
  EXPECT_EQ(check_query_pattern("a=b", false), std::nullopt);
  EXPECT_NE(check_query_pattern("a=b", true), std::nullopt);
  EXPECT_NE(check_query_pattern("a&b", false), std::nullopt);
}

TEST(Syntax, HeaderNamesAndMethods) {
  EXPECT_EQ(check_header_name("X-Canary"), std::nullopt);
  EXPECT_EQ(check_header_name("x_y!#$%&'*+-.^`|~"), std::nullopt);
  EXPECT_NE(check_header_name("X Canary"), std::nullopt);
  EXPECT_NE(check_header_name("X:Y"), std::nullopt);
  EXPECT_NE(check_header_name(std::string(41, 'x')), std::nullopt);
  EXPECT_EQ(check_method("GET"), std::nullopt);
  EXPECT_EQ(check_method("CUSTOM_METHOD-X"), std::nullopt);
  EXPECT_NE(check_method("get"), std::nullopt);
  EXPECT_NE(check_method("G*"), std::nullopt);
}

std::string matcher_text(std::string_view text) {
  std::string error;
  auto ranges = parse_matcher(text, 200, 499, error);
  if (!ranges) return "error: " + error;
  std::string out;
  for (const StatusRange& r : *ranges) {
    out += (out.empty() ? "" : " ") + std::to_string(r.low) + "-" + std::to_string(r.high);
  }
  return out;
}

TEST(Syntax, Matchers) {
  EXPECT_EQ(matcher_text("200"), "200-200");
  EXPECT_EQ(matcher_text("200,202"), "200-200 202-202");
  EXPECT_EQ(matcher_text("200-299"), "200-299");
  EXPECT_EQ(matcher_text("200-299,302"), "200-299 302-302");
  EXPECT_EQ(matcher_text("499"), "499-499");
  EXPECT_EQ(matcher_text("199"), "error: status code 199 is out of range 200..499");
  EXPECT_EQ(matcher_text("500"), "error: status code 500 is out of range 200..499");
  EXPECT_EQ(matcher_text("299-200"), "error: range '299-200' ends before it starts");
  EXPECT_EQ(matcher_text("200,"), "error: '' is not a status code");
  EXPECT_EQ(matcher_text(" 200"), "error: ' 200' is not a status code");
  EXPECT_EQ(matcher_text("2000"), "error: '2000' is not a status code");
  EXPECT_EQ(matcher_text("200-"), "error: '' is not a status code");
}

TEST(Syntax, Placeholders) {
  EXPECT_EQ(check_placeholders("/new/#{path}?#{query}"), std::nullopt);
  EXPECT_EQ(check_placeholders("#{protocol}#{host}#{port}"), std::nullopt);
  EXPECT_EQ(check_placeholders("plain"), std::nullopt);
  EXPECT_EQ(check_placeholders("#{Path}"),
            "unknown placeholder '#{Path}'; expected #{protocol}, #{host}, #{port}, #{path} or "
            "#{query}");
  EXPECT_EQ(check_placeholders("/#{path"), "unterminated placeholder '#{'");
}

TEST(Syntax, HealthPathsAndCookies) {
  EXPECT_EQ(check_health_path("/healthz?full=1"), std::nullopt);
  EXPECT_EQ(check_health_path("healthz"), "must start with '/'");
  EXPECT_NE(check_health_path("/a b"), std::nullopt);
  EXPECT_EQ(check_cookie_name("session"), std::nullopt);
  EXPECT_NE(check_cookie_name("AWSALB"), std::nullopt);
  EXPECT_NE(check_cookie_name("AWSALBTG"), std::nullopt);
  EXPECT_NE(check_cookie_name("a=b"), std::nullopt);
}

TEST(Text, QuoteEscapesAndShortens) {
  EXPECT_EQ(quote("abc"), "'abc'");
  EXPECT_EQ(quote(""), "''");
  EXPECT_EQ(quote("it's"), "'it\\'s'");
  EXPECT_EQ(quote(std::string_view("a\x01\n", 3)), "'a\\x01\\x0a'");
  EXPECT_EQ(quote(std::string(81, 'x')), "'" + std::string(77, 'x') + "...'");
  EXPECT_EQ(quote(std::string(80, 'x')), "'" + std::string(80, 'x') + "'");
}

}  // namespace
}  // namespace tern::config
