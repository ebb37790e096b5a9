// Version order: stale and duplicate versions, no revival of a stopped task, forgetting.
#include "lb/discovery/ecs_version_order.hpp"

#include <gtest/gtest.h>

namespace tern::discovery {
namespace {

using std::chrono::minutes;
const EcsVersionOrder::Clock::time_point t0{};

TEST(EcsVersionOrder, NewerAppliesOlderAndEqualAreStale) {
  EcsVersionOrder order;
  EXPECT_TRUE(order.admit("a", 3, false, t0));
  EXPECT_FALSE(order.admit("a", 3, false, t0));  // duplicate delivery
  EXPECT_FALSE(order.admit("a", 2, false, t0));  // late
  EXPECT_TRUE(order.admit("a", 4, false, t0));
  EXPECT_EQ(order.last_applied("a"), 4);
  EXPECT_TRUE(order.admit("b", 1, false, t0));  // per task
  EXPECT_EQ(order.last_applied("zzz"), std::nullopt);
  EXPECT_EQ(order.size(), 2u);
}

TEST(EcsVersionOrder, LateRunningNeverRevivesAStoppedTask) {
  EcsVersionOrder order;
  EXPECT_TRUE(order.admit("a", 6, true, t0));    // STOPPING arrives first
  EXPECT_FALSE(order.admit("a", 4, false, t0));  // RUNNING, delivered late
  EXPECT_FALSE(order.admit("a", 6, false, t0));
  EXPECT_EQ(order.last_applied("a"), 6);
}

TEST(EcsVersionOrder, MissingVersionOnlyForUnknownTasks) {
  EcsVersionOrder order;
  EXPECT_TRUE(order.admit("a", std::nullopt, false, t0));
  EXPECT_EQ(order.last_applied("a"), 0);
  EXPECT_FALSE(order.admit("a", std::nullopt, false, t0));
  EXPECT_TRUE(order.admit("a", 1, false, t0));
}

TEST(EcsVersionOrder, ForgetsTasksStoppedLongEnough) {
  EcsVersionOrder order(minutes(60));
  order.admit("stopped", 5, true, t0);
  order.admit("running", 5, false, t0);
  order.admit("later", 5, false, t0);
  order.admit("later", 6, true, t0 + minutes(30));
  order.admit("stopped", 7, true, t0 + minutes(10));  // still stopped since t0
  EXPECT_EQ(order.forget_old(t0 + minutes(59)), 0u);
  EXPECT_EQ(order.forget_old(t0 + minutes(60)), 1u);
  EXPECT_EQ(order.last_applied("stopped"), std::nullopt);
  EXPECT_EQ(order.forget_old(t0 + minutes(90)), 1u);
  EXPECT_EQ(order.size(), 1u);
  EXPECT_EQ(order.last_applied("running"), 5);
}

TEST(EcsVersionOrder, GoneFromThePollIsForgottenLater) {
  EcsVersionOrder order(minutes(5));
  order.admit("a", 2, false, t0);
  order.note_gone("a", t0 + minutes(1));
  order.note_gone("unknown", t0);
  EXPECT_EQ(order.size(), 1u);
  EXPECT_EQ(order.forget_old(t0 + minutes(5)), 0u);
  EXPECT_EQ(order.forget_old(t0 + minutes(6)), 1u);
  EXPECT_EQ(order.size(), 0u);
}

}  // namespace
}  // namespace tern::discovery
