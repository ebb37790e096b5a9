#include "lb/upstream/routable_set.hpp"

#include <gtest/gtest.h>

namespace tern::upstream {
namespace {

TEST(SelectBit, KthSetBit) {
  EXPECT_EQ(select_bit(0b1, 0), 0u);
  EXPECT_EQ(select_bit(0b1010'0110, 0), 1u);
  EXPECT_EQ(select_bit(0b1010'0110, 1), 2u);
  EXPECT_EQ(select_bit(0b1010'0110, 2), 5u);
  EXPECT_EQ(select_bit(0b1010'0110, 3), 7u);
  EXPECT_EQ(select_bit(~uint64_t{0}, 63), 63u);
  EXPECT_EQ(select_bit(uint64_t{1} << 63, 0), 63u);
}

TEST(RoutableSet, StartsAllRoutable) {
  for (size_t n : {0, 1, 63, 64, 65, 128, 1025}) {
    RoutableSet set(n);
    RoutableSet::View v;
    set.load(v);
    EXPECT_EQ(v.count(), n);
    for (size_t i = 0; i < n; ++i) EXPECT_TRUE(set.test(i));
    if (n > 0) {
      EXPECT_EQ(v.select(n - 1), n - 1);
    }
  }
}

TEST(RoutableSet, SetAndSelectAcrossWords) {
  RoutableSet set(130);
  for (size_t i = 0; i < 130; ++i) set.set(i, i % 2 == 1);
  RoutableSet::View v;
  set.load(v);
  ASSERT_EQ(v.count(), 65u);
  for (size_t k = 0; k < 65; ++k) EXPECT_EQ(v.select(k), 2 * k + 1);
  set.set(128, true);
  set.set(1, false);
  set.load(v);
  EXPECT_EQ(v.count(), 65u);
  EXPECT_EQ(v.select(0), 3u);
  EXPECT_EQ(v.select(64), 129u);
  EXPECT_FALSE(set.test(1));
  EXPECT_TRUE(v.test(129));
}

}  // namespace
}  // namespace tern::upstream

namespace tern::upstream {
namespace {

TEST(RoutableSet, CountFollowsTheBits) {
  RoutableSet set(3000);
  EXPECT_EQ(set.count(), 3000u);
  set.set(5, false);
  set.set(5, false);  // no change, no double count
  set.set(2999, false);
  EXPECT_EQ(set.count(), 2998u);
  set.set(5, true);
  EXPECT_EQ(set.count(), 2999u);
}

TEST(RoutableSet, AllRoutableViewCopiesNothingAndSelectsDirectly) {
  RoutableSet set(5000);
  RoutableSet::View v;
  std::vector<uint64_t> scratch;
  set.load(v, &scratch);
  EXPECT_TRUE(scratch.empty());  // nothing copied
  EXPECT_EQ(v.count(), 5000u);
  EXPECT_EQ(v.select(4321), 4321u);
  EXPECT_TRUE(v.test(4999));
  // One target down: the bits are copied into the caller's scratch, reused afterwards.
  set.set(10, false);
  set.load(v, &scratch);
  ASSERT_EQ(scratch.size(), 79u);
  const uint64_t* block = scratch.data();
  EXPECT_EQ(v.count(), 4999u);
  EXPECT_FALSE(v.test(10));
  EXPECT_EQ(v.select(10), 11u);
  set.load(v, &scratch);
  EXPECT_EQ(scratch.data(), block);  // no new allocation per pick
}

}  // namespace
}  // namespace tern::upstream
