// Health check success codes against parsed matcher ranges.
#include "health/matcher.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace tern::health {
namespace {

TEST(Matcher, SingleCode) {
  const std::vector<config::StatusRange> ranges{{200, 200}};
  EXPECT_TRUE(match(200, ranges));
  EXPECT_FALSE(match(201, ranges));
  EXPECT_FALSE(match(199, ranges));
  EXPECT_FALSE(match(503, ranges));
}

TEST(Matcher, ListsAndRangesAreInclusive) {
  const std::vector<config::StatusRange> ranges{{200, 299}, {302, 302}};
  for (int status = 100; status <= 599; ++status) {
    EXPECT_EQ(match(status, ranges), (status >= 200 && status <= 299) || status == 302) << status;
  }
}

TEST(Matcher, NoRangesMatchNothing) {
  EXPECT_FALSE(match(200, std::vector<config::StatusRange>{}));
}

TEST(Matcher, TheDefaultCheckMatches200Only) {
  config::HealthCheck check;
  EXPECT_TRUE(match(200, check.matcher));
  EXPECT_FALSE(match(204, check.matcher));
}

TEST(Matcher, MismatchDescriptionListsTheCode) {
  EXPECT_EQ(mismatch_description(404), "Health checks failed with these codes: [404]");
  EXPECT_EQ(mismatch_description(503), "Health checks failed with these codes: [503]");
}

}  // namespace
}  // namespace tern::health
