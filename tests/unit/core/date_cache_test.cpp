// IMF-fixdate formatting (RFC 9110 §5.6.7) and the once-per-second cache.
#include "lb/core/date_cache.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <ctime>
#include <string>

namespace tern::core {
namespace {

std::string format(std::time_t secs) {
  char out[32];
  DateCache::format(secs, out);
  return out;
}

struct DateCase {
  std::time_t secs;
  const char* text;
};

class DateFormatTest : public ::testing::TestWithParam<DateCase> {};

TEST_P(DateFormatTest, Formats) {
  EXPECT_EQ(format(GetParam().secs), GetParam().text);
  EXPECT_EQ(std::strlen(GetParam().text), 29u);
}

INSTANTIATE_TEST_SUITE_P(
    Dates, DateFormatTest,
    ::testing::Values(DateCase{0, "Thu, 01 Jan 1970 00:00:00 GMT"},
                      DateCase{784111777, "Sun, 06 Nov 1994 08:49:37 GMT"},  // RFC 9110's example
                      DateCase{951782400, "Tue, 29 Feb 2000 00:00:00 GMT"},
                      DateCase{1709164800, "Thu, 29 Feb 2024 00:00:00 GMT"},
                      DateCase{1704067199, "Sun, 31 Dec 2023 23:59:59 GMT"},
                      DateCase{1704067200, "Mon, 01 Jan 2024 00:00:00 GMT"},
                      DateCase{1718454896, "Sat, 15 Jun 2024 12:34:56 GMT"},
                      DateCase{1696118400, "Sun, 01 Oct 2023 00:00:00 GMT"},
                      DateCase{1693526400, "Fri, 01 Sep 2023 00:00:00 GMT"},
                      DateCase{1682899200, "Mon, 01 May 2023 00:00:00 GMT"},
                      DateCase{1680307200, "Sat, 01 Apr 2023 00:00:00 GMT"},
                      DateCase{1677628800, "Wed, 01 Mar 2023 00:00:00 GMT"},
                      DateCase{1688169600, "Sat, 01 Jul 2023 00:00:00 GMT"},
                      DateCase{1690848000, "Tue, 01 Aug 2023 00:00:00 GMT"},
                      DateCase{1698796800, "Wed, 01 Nov 2023 00:00:00 GMT"},
                      DateCase{2147483647, "Tue, 19 Jan 2038 03:14:07 GMT"},
                      DateCase{2147483648, "Tue, 19 Jan 2038 03:14:08 GMT"},  // past 2^31
                      DateCase{4102444800, "Fri, 01 Jan 2100 00:00:00 GMT"}));

TEST(DateCache, NowIsTheCurrentSecond) {
  DateCache cache;
  std::time_t before = std::time(nullptr);
  std::string now(cache.now());
  std::time_t after = std::time(nullptr);
  EXPECT_EQ(now.size(), 29u);
  EXPECT_TRUE(now == format(before) || now == format(after)) << now;
}

TEST(DateCache, RepeatedCallsAgreeWithinTheSecond) {
  DateCache cache;
  for (int i = 0; i < 1000; ++i) {
    std::time_t before = std::time(nullptr);
    std::string_view a = cache.now();
    std::string_view b = cache.now();
    std::time_t after = std::time(nullptr);
    if (before == after) {
      EXPECT_EQ(a, b);
      EXPECT_EQ(a.data(), b.data());  // the cached text, not a new one
      EXPECT_EQ(a, format(before));
    }
  }
}

TEST(DateCache, CachesAreIndependent) {
  // One per worker: no shared state.
  DateCache a, b;
  std::time_t before = std::time(nullptr);
  std::string va(a.now()), vb(b.now());
  std::time_t after = std::time(nullptr);
  if (before == after) {
    EXPECT_EQ(va, vb);
  }
  EXPECT_NE(a.now().data(), b.now().data());
}

}  // namespace
}  // namespace tern::core
