// Probe scheduling: the interval jittered by at most 10 %, the first probe soon.
#include "health/jitter.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <random>

namespace tern::health {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::seconds;

const nanoseconds kIntervals[] = {nanoseconds(1),  nanoseconds(9),    nanoseconds(10),
                                  nanoseconds(11), milliseconds(100), seconds(1),
                                  seconds(5),      seconds(30),       seconds(300)};

TEST(Jitter, NextDelayStaysWithinTenPercent) {
  std::mt19937_64 random(42);
  for (nanoseconds interval : kIntervals) {
    const auto low = interval.count() - interval.count() / 10;
    const auto high = interval.count() + interval.count() / 10;
    EXPECT_GE(low * 10, interval.count() * 9);
    EXPECT_LE(high * 10, interval.count() * 11);
    const uint64_t edges[] = {0, 1, std::numeric_limits<uint64_t>::max(),
                              std::numeric_limits<uint64_t>::max() - 1};
    for (uint64_t r : edges) {
      auto d = next_delay(interval, r).count();
      EXPECT_GE(d, low) << interval.count();
      EXPECT_LE(d, high) << interval.count();
    }
    for (int i = 0; i < 10000; ++i) {
      auto d = next_delay(interval, random()).count();
      ASSERT_GE(d, low);
      ASSERT_LE(d, high);
    }
  }
}

TEST(Jitter, NextDelayReachesBothEnds) {
  const nanoseconds interval = seconds(30);
  const uint64_t spread = static_cast<uint64_t>(interval.count() / 10);
  EXPECT_EQ(next_delay(interval, 0), seconds(27));
  EXPECT_EQ(next_delay(interval, 2 * spread), seconds(33));
  EXPECT_EQ(next_delay(interval, spread), seconds(30));
}

TEST(Jitter, FirstDelayIsSoonAndBeforeTheInterval) {
  std::mt19937_64 random(7);
  for (nanoseconds interval : kIntervals) {
    for (int i = 0; i < 10000; ++i) {
      auto d = first_delay(interval, random());
      ASSERT_GE(d.count(), 0);
      ASSERT_LE(d.count(), interval.count() / 10);
      if (interval.count() >= 2) {
        ASSERT_LT(d, interval);
      }
    }
  }
  EXPECT_EQ(first_delay(seconds(30), 0), nanoseconds(0));
  EXPECT_EQ(first_delay(seconds(30), 3'000'000'000), seconds(3));
  EXPECT_LE(first_delay(milliseconds(100), std::numeric_limits<uint64_t>::max()), milliseconds(10));
}

TEST(Jitter, NonPositiveIntervalsGiveZero) {
  EXPECT_EQ(next_delay(nanoseconds(0), 123), nanoseconds(0));
  EXPECT_EQ(next_delay(nanoseconds(-5), 123), nanoseconds(0));
  EXPECT_EQ(first_delay(nanoseconds(0), 123), nanoseconds(0));
}

}  // namespace
}  // namespace tern::health
