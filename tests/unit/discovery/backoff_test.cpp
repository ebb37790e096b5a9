// Backoff: doubling ceiling up to 60 s, equal jitter within [ceiling/2, ceiling], reset.
#include "lb/discovery/backoff.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>

namespace tern::discovery {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, CeilingDoublesUpTo60s) {
  Backoff b;
  const int64_t expected[] = {1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000};
  for (int64_t c : expected) {
    EXPECT_EQ(b.ceiling(), milliseconds(c));
    EXPECT_EQ(b.next(UINT64_MAX - 1).count() <= c, true);
  }
  EXPECT_EQ(b.failures(), 9u);
}

TEST(Backoff, JitterStaysWithinHalfAndWhole) {
  Backoff b(milliseconds(1000), milliseconds(60000));
  EXPECT_EQ(b.next(0), milliseconds(500));      // the least: half the ceiling
  EXPECT_EQ(b.next(1000), milliseconds(2000));  // 1000 + 1000 % 1001
  EXPECT_EQ(b.next(2000), milliseconds(4000));  // 2000 + 2000 % 2001
  std::mt19937_64 rng(42);
  for (int i = 0; i < 1000; ++i) {
    const milliseconds c = b.ceiling();
    const milliseconds w = b.next(rng());
    EXPECT_GE(w, c / 2);
    EXPECT_LE(w, c);
  }
}

TEST(Backoff, ResetStartsOver) {
  Backoff b;
  for (int i = 0; i < 10; ++i) b.next(7);
  EXPECT_EQ(b.ceiling(), milliseconds(60000));
  b.reset();
  EXPECT_EQ(b.failures(), 0u);
  EXPECT_EQ(b.ceiling(), milliseconds(1000));
  EXPECT_EQ(b.next(0), milliseconds(500));
}

TEST(Backoff, ManyFailuresDoNotOverflow) {
  Backoff b(milliseconds(1), milliseconds(60000));
  for (int i = 0; i < 200; ++i) b.next(0);
  EXPECT_EQ(b.ceiling(), milliseconds(60000));
  EXPECT_EQ(b.next(0), milliseconds(30000));
}

}  // namespace
}  // namespace tern::discovery
