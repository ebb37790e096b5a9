// ALB wildcards on their own, and the IP/CIDR helpers.
#include "lb/router/wildcard.hpp"

#include <gtest/gtest.h>

#include "lb/router/ip_address.hpp"

namespace tern::router {
namespace {

struct Case {
  const char* pattern;
  const char* text;
  bool match;
};

class WildcardMatch : public ::testing::TestWithParam<Case> {};

TEST_P(WildcardMatch, WholeText) {
  const Case& c = GetParam();
  EXPECT_EQ(Wildcard::compile(c.pattern).matches(c.text), c.match) << c.pattern << " vs " << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    All, WildcardMatch,
    ::testing::Values(Case{"abc", "abc", true}, Case{"abc", "abcd", false},
                      Case{"abc", "ab", false}, Case{"", "", true}, Case{"", "a", false},
                      Case{"*", "", true}, Case{"*", "anything", true}, Case{"**", "", true},
                      Case{"a*", "a", true}, Case{"a*", "ba", false}, Case{"*a", "ba", true},
                      Case{"*a", "ab", false}, Case{"a*b", "ab", true}, Case{"a*b", "axxb", true},
                      Case{"a*b", "axxbx", false}, Case{"a*b*c", "abbbcbc", true},
                      Case{"a*b*c", "abbbcb", false}, Case{"?", "", false}, Case{"?", "x", true},
                      Case{"?", "xy", false}, Case{"a?c", "abc", true}, Case{"a?c", "ac", false},
                      Case{"*?", "", false}, Case{"*?", "x", true}, Case{"?*?", "xy", true},
                      Case{"*.example.com", ".example.com", true}, Case{"*x*x*x*", "xaxbxcx", true},
                      Case{"*x*x*x*", "xaxb", false}, Case{"*aab", "aaaab", true},
                      Case{"a*aab", "aaab", true}, Case{"a*aab", "aab", false},
                      Case{"ABC", "abc", false}));

TEST(Wildcard, CaseInsensitiveLowersThePatternAndTheText) {
  Wildcard w = Wildcard::compile("*.Example.COM", {.case_insensitive = true});
  EXPECT_TRUE(w.matches("WWW.EXAMPLE.com"));
  EXPECT_EQ(w.literal_suffix(), ".example.com");
  EXPECT_TRUE(Wildcard::compile("A?C", {.case_insensitive = true}).matches("abc"));
  EXPECT_TRUE(Wildcard::compile("A*", {.case_insensitive = true}).matches("abc"));
}

TEST(Wildcard, BackslashEscapes) {
  const WildcardOptions q{.case_insensitive = true, .backslash_escapes = true};
  EXPECT_TRUE(Wildcard::compile("a\\*", q).matches("a*"));
  EXPECT_FALSE(Wildcard::compile("a\\*", q).matches("ab"));
  EXPECT_TRUE(Wildcard::compile("\\?", q).matches("?"));
  EXPECT_FALSE(Wildcard::compile("\\?", q).matches("x"));
  EXPECT_TRUE(Wildcard::compile("a\\\\b", q).matches("a\\b"));
  EXPECT_TRUE(Wildcard::compile("a\\b", q).matches("a\\b"));  // other backslashes literal
  EXPECT_TRUE(Wildcard::compile("\\**", q).matches("*abc"));
  EXPECT_TRUE(Wildcard::compile("a\\*", q).is_exact());
  // Without the option a backslash is an ordinary character.
  EXPECT_TRUE(Wildcard::compile("a\\*").matches("a\\xyz"));
}

TEST(Wildcard, LiteralEndsForTheIndex) {
  Wildcard prefix = Wildcard::compile("/users/*");
  EXPECT_FALSE(prefix.is_exact());
  EXPECT_EQ(prefix.literal_prefix(), "/users/");
  EXPECT_EQ(prefix.literal_suffix(), "");
  Wildcard general = Wildcard::compile("/a?c/*/d.jpg");
  EXPECT_EQ(general.literal_prefix(), "/a");
  EXPECT_EQ(general.literal_suffix(), "/d.jpg");
  Wildcard exact = Wildcard::compile("/health");
  EXPECT_TRUE(exact.is_exact());
  EXPECT_EQ(exact.literal_prefix(), "/health");
}

TEST(IpAddress, ParsesBothFamiliesIntoOneForm) {
  auto v4 = IpAddress::parse("10.1.2.3");
  auto mapped = IpAddress::parse("::ffff:10.1.2.3");
  ASSERT_TRUE(v4 && mapped);
  EXPECT_EQ(*v4, *mapped);
  EXPECT_TRUE(v4->is_v4());
  EXPECT_EQ(*v4, IpAddress::v4({10, 1, 2, 3}));
  auto v6 = IpAddress::parse("2001:db8::1");
  ASSERT_TRUE(v6);
  EXPECT_FALSE(v6->is_v4());
  EXPECT_FALSE(IpAddress::parse("10.1.2"));
  EXPECT_FALSE(IpAddress::parse("example.com"));
}

TEST(Cidr, RejectsWhatConfigWouldReject) {
  EXPECT_FALSE(Cidr::parse("10.0.0.0"));
  EXPECT_FALSE(Cidr::parse("10.0.0.1/8"));  // host bits set
  EXPECT_FALSE(Cidr::parse("10.0.0.0/33"));
  EXPECT_FALSE(Cidr::parse("2001:db8::/129"));
  EXPECT_TRUE(Cidr::parse("0.0.0.0/0"));
  EXPECT_TRUE(Cidr::parse("::/0"));
}

}  // namespace
}  // namespace tern::router
