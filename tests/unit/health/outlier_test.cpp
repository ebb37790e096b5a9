// Passive ejection: consecutive failures, backoff growth and its cap, decay after
// un-ejection, the group's ejection cap, and membership changes. Time is explicit.
#include "health/outlier.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tern::health {
namespace {

using std::chrono::seconds;
using TimePoint = OutlierTracker::TimePoint;

std::vector<std::string> keys(int n) {
  std::vector<std::string> k;
  for (int i = 0; i < n; ++i) k.push_back("g|10.0.0." + std::to_string(i + 1) + ":80");
  return k;
}

// Records `n` failures; true when the last one ejected.
bool fail(OutlierTracker& t, const std::string& key, int n, TimePoint now) {
  bool ejected = false;
  for (int i = 0; i < n; ++i) ejected = t.record_failure(key, now);
  return ejected;
}

class Outlier : public ::testing::Test {
 protected:
  Outlier() : names(keys(10)) { tracker.set_targets(names); }
  TimePoint t0{seconds(1000)};
  OutlierTracker tracker;  // defaults: 5 failures, 30 s base, 300 s max, 50 %
  std::vector<std::string> names;
};

TEST_F(Outlier, EjectsAtTheConsecutiveFailureCount) {
  const auto& a = names[0];
  for (int i = 1; i < 5; ++i) {
    EXPECT_FALSE(tracker.record_failure(a, t0));
    EXPECT_EQ(tracker.consecutive_failures(a), i);
  }
  EXPECT_TRUE(tracker.record_failure(a, t0));
  EXPECT_TRUE(tracker.ejected(a));
  EXPECT_EQ(tracker.ejected_count(), 1u);
  EXPECT_EQ(tracker.multiplier(a, t0), 1);
  EXPECT_EQ(tracker.next_unejection(), t0 + seconds(30));
  // Failures while ejected change nothing.
  EXPECT_FALSE(tracker.record_failure(a, t0));
  EXPECT_EQ(tracker.ejected_count(), 1u);
}

TEST_F(Outlier, ASuccessResetsTheCount) {
  const auto& a = names[0];
  fail(tracker, a, 4, t0);
  tracker.record_success(a);
  EXPECT_EQ(tracker.consecutive_failures(a), 0);
  EXPECT_FALSE(fail(tracker, a, 4, t0));
  EXPECT_TRUE(tracker.record_failure(a, t0));
}

TEST_F(Outlier, TickUnejectsWhenTheTimePassed) {
  const auto& a = names[0];
  fail(tracker, a, 5, t0);
  EXPECT_TRUE(tracker.tick(t0 + seconds(29)).empty());
  EXPECT_TRUE(tracker.ejected(a));
  EXPECT_EQ(tracker.tick(t0 + seconds(30)), std::vector<std::string>{a});
  EXPECT_FALSE(tracker.ejected(a));
  EXPECT_EQ(tracker.ejected_count(), 0u);
  EXPECT_EQ(tracker.consecutive_failures(a), 0);
  EXPECT_FALSE(tracker.next_unejection().has_value());
}

TEST_F(Outlier, BackoffGrowsByBaseAndIsCapped) {
  const auto& a = names[0];
  TimePoint now = t0;
  for (int n = 1; n <= 12; ++n) {
    ASSERT_TRUE(fail(tracker, a, 5, now));
    const auto expected = std::min(seconds(30) * n, seconds(300));
    ASSERT_EQ(*tracker.next_unejection() - now, expected) << "ejection " << n;
    now += expected;
    ASSERT_EQ(tracker.tick(now).size(), 1u);  // fails again right away: no decay
  }
  EXPECT_EQ(tracker.multiplier(a, now), 10);
}

TEST(OutlierCap, MaxBelowAMultipleOfBase) {
  OutlierTracker t({.consecutive_failures = 1,
                    .base_ejection_time = seconds(30),
                    .max_ejection_time = seconds(100),
                    .max_ejection_percent = 100});
  auto k = keys(2);
  t.set_targets(k);
  TimePoint now{seconds(0)};
  const seconds expected[] = {seconds(30), seconds(60), seconds(90), seconds(100), seconds(100)};
  for (seconds e : expected) {
    ASSERT_TRUE(t.record_failure(k[0], now));
    EXPECT_EQ(*t.next_unejection() - now, e);
    now += e;
    t.tick(now);
  }
  EXPECT_EQ(t.multiplier(k[0], now), 4);  // stops growing once base * m >= max
}

TEST(OutlierCap, MaxBelowBaseUsesBase) {
  OutlierTracker t({.consecutive_failures = 1,
                    .base_ejection_time = seconds(30),
                    .max_ejection_time = seconds(10),
                    .max_ejection_percent = 100});
  auto k = keys(2);
  t.set_targets(k);
  TimePoint now{seconds(0)};
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(t.record_failure(k[0], now));
    EXPECT_EQ(*t.next_unejection() - now, seconds(30));
    now += seconds(30);
    t.tick(now);
  }
}

TEST_F(Outlier, MultiplierDecaysOnePerBaseSpentNotEjected) {
  const auto& a = names[0];
  TimePoint now = t0;
  for (int n = 1; n <= 3; ++n) {  // ejected for 30, 60, 90 s
    fail(tracker, a, 5, now);
    now = *tracker.next_unejection();
    tracker.tick(now);
  }
  ASSERT_EQ(tracker.multiplier(a, now), 3);
  EXPECT_EQ(tracker.multiplier(a, now + seconds(29)), 3);
  EXPECT_EQ(tracker.multiplier(a, now + seconds(30)), 2);
  EXPECT_EQ(tracker.multiplier(a, now + seconds(59)), 2);
  EXPECT_EQ(tracker.multiplier(a, now + seconds(60)), 1);
  EXPECT_EQ(tracker.multiplier(a, now + seconds(89)), 1);
  EXPECT_EQ(tracker.multiplier(a, now + seconds(90)), 0);
  EXPECT_EQ(tracker.multiplier(a, now + seconds(1000)), 0);

  // Ejected again 45 s after coming back: one step decayed (3 -> 2), then it grows to 3.
  now += seconds(45);
  ASSERT_TRUE(fail(tracker, a, 5, now));
  EXPECT_EQ(*tracker.next_unejection() - now, seconds(90));
  EXPECT_EQ(tracker.multiplier(a, now), 3);
  // Does not decay while ejected.
  EXPECT_EQ(tracker.multiplier(a, now + seconds(89)), 3);
}

TEST_F(Outlier, DecayCountsFromTheEndOfTheEjectionNotTheTick) {
  const auto& a = names[0];
  fail(tracker, a, 5, t0);         // until t0 + 30
  tracker.tick(t0 + seconds(50));  // ticked late
  EXPECT_EQ(tracker.multiplier(a, t0 + seconds(59)), 1);
  EXPECT_EQ(tracker.multiplier(a, t0 + seconds(60)), 0);  // 30 s after it ended
  // Fully decayed: the next ejection is base again.
  ASSERT_TRUE(fail(tracker, a, 5, t0 + seconds(60)));
  EXPECT_EQ(*tracker.next_unejection(), t0 + seconds(90));
}

TEST_F(Outlier, PercentCapsEjectedTargets) {
  // 50 % of 10: five may be ejected, the sixth may not.
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(fail(tracker, names[i], 5, t0)) << i;
  EXPECT_FALSE(fail(tracker, names[5], 5, t0));
  EXPECT_FALSE(tracker.ejected(names[5]));
  EXPECT_EQ(tracker.ejected_count(), 5u);
  // Once one comes back, the next failure of the refused target ejects it.
  tracker.tick(t0 + seconds(30));
  EXPECT_EQ(tracker.ejected_count(), 0u);
  EXPECT_TRUE(tracker.record_failure(names[5], t0 + seconds(30)));
}

TEST(OutlierPercent, RuleOverGroupSizesAndPercents) {
  for (int size = 1; size <= 12; ++size) {
    for (int percent : {1, 10, 33, 50, 100}) {
      OutlierTracker t({.consecutive_failures = 1, .max_ejection_percent = percent});
      auto k = keys(size);
      t.set_targets(k);
      size_t ejected = 0;
      for (const auto& key : k) ejected += t.record_failure(key, TimePoint{}) ? 1 : 0;
      size_t expected = 0;
      if (size >= 2) {
        expected = std::max<size_t>(1, static_cast<size_t>(percent * size / 100));
      }
      EXPECT_EQ(ejected, expected) << "size " << size << " percent " << percent;
    }
  }
}

TEST(OutlierPercent, ZeroDisablesAndOneTargetIsNeverEjected) {
  OutlierTracker off({.consecutive_failures = 1, .max_ejection_percent = 0});
  auto k = keys(3);
  off.set_targets(k);
  EXPECT_FALSE(off.record_failure(k[0], TimePoint{}));

  OutlierTracker none({.consecutive_failures = 0});
  none.set_targets(k);
  EXPECT_FALSE(fail(none, k[0], 100, TimePoint{}));

  OutlierTracker single({.consecutive_failures = 1, .max_ejection_percent = 100});
  auto one = keys(1);
  single.set_targets(one);
  EXPECT_FALSE(fail(single, one[0], 10, TimePoint{}));
}

TEST_F(Outlier, SetTargetsKeepsRemainingAndForgetsRemoved) {
  fail(tracker, names[0], 5, t0);  // ejected
  fail(tracker, names[1], 3, t0);
  std::vector<std::string> next{names[0], names[1], "g|10.0.0.99:80"};
  tracker.set_targets(next);
  EXPECT_EQ(tracker.size(), 3u);
  EXPECT_TRUE(tracker.ejected(names[0]));
  EXPECT_EQ(tracker.ejected_count(), 1u);
  EXPECT_EQ(tracker.consecutive_failures(names[1]), 3);
  EXPECT_EQ(tracker.consecutive_failures("g|10.0.0.99:80"), 0);
  tracker.set_targets(std::vector<std::string>{names[1], names[2]});
  EXPECT_EQ(tracker.ejected_count(), 0u);
  EXPECT_FALSE(tracker.ejected(names[0]));
  EXPECT_FALSE(tracker.record_failure(names[0], t0));  // unknown now: ignored
  EXPECT_EQ(tracker.multiplier(names[0], t0), 0);
}

TEST_F(Outlier, NextUnejectionIsTheEarliest) {
  fail(tracker, names[0], 5, t0 + seconds(10));
  fail(tracker, names[1], 5, t0);
  EXPECT_EQ(tracker.next_unejection(), t0 + seconds(30));
  auto back = tracker.tick(t0 + seconds(30));
  EXPECT_EQ(back, std::vector<std::string>{names[1]});
  EXPECT_EQ(tracker.next_unejection(), t0 + seconds(40));
}

}  // namespace
}  // namespace tern::health
