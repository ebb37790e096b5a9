// The literal prefix the index files anchored path regexes under.
#include <gtest/gtest.h>
#include <re2/re2.h>

#include "lb/router/value_matcher.hpp"

namespace tern::router {
namespace {

std::string prefix_of(const char* expression) {
  RE2 re(expression);
  EXPECT_TRUE(re.ok()) << expression;
  return required_prefix(re, expression);
}

TEST(RequiredPrefix, AnchoredExpressions) {
  EXPECT_EQ(prefix_of("^/v1/orders/[0-9]+$"), "/v1/orders/");
  EXPECT_EQ(prefix_of("^/api"), "/api");
  EXPECT_EQ(prefix_of("^/api/.*"), "/api/");
  EXPECT_EQ(prefix_of("^/u(sers)?/"), "/u");
  EXPECT_EQ(prefix_of("^/[a-z]+/v1"), "/");
  EXPECT_EQ(prefix_of("^/users/\\d+$"), "/users/");
}

TEST(RequiredPrefix, NothingWhenTheAnchorIsNotCertain) {
  EXPECT_EQ(prefix_of("/api"), "");         // search semantics: anywhere
  EXPECT_EQ(prefix_of("^/a|/b"), "");       // the anchor binds one alternative only
  EXPECT_EQ(prefix_of("^/(a|b)"), "");      // conservative: any '|'
  EXPECT_EQ(prefix_of("(?m)^/items"), "");  // '^' after a newline too
  EXPECT_EQ(prefix_of("^.*/api"), "");
  RE2::Options icase;
  icase.set_case_sensitive(false);
  RE2 insensitive("^/api", icase);
  EXPECT_EQ(required_prefix(insensitive, "^/api"), "");
}

TEST(RequiredPrefix, EveryMatchStartsWithIt) {
  for (const char* expression : {"^/v1/orders/[0-9]+$", "^/api", "^/u(sers)?/", "^/a[bc]d"}) {
    RE2 re(expression);
    const std::string prefix = required_prefix(re, expression);
    for (const char* text : {"/v1/orders/7", "/api", "/api/x", "/u/", "/users/", "/abd", "/acd",
                             "/v1/orders/x", "/ap", "/"}) {
      if (RE2::PartialMatch(text, re)) {
        EXPECT_EQ(std::string_view(text).substr(0, prefix.size()), prefix) << expression;
      }
    }
  }
}

}  // namespace
}  // namespace tern::router
