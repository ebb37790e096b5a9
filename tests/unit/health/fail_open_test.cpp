// Which targets take requests: routable states, and ALB's fail-open when a group has no
// routable registered target, checked exhaustively over groups of up to three targets.
#include "health/fail_open.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace tern::health {
namespace {

constexpr std::array kAll = {State::kInitial, State::kHealthy,  State::kUnhealthy,
                             State::kUnused,  State::kDraining, State::kUnavailable};

TEST(FailOpen, RoutableStates) {
  EXPECT_FALSE(routable(State::kInitial));
  EXPECT_TRUE(routable(State::kHealthy));
  EXPECT_FALSE(routable(State::kUnhealthy));
  EXPECT_FALSE(routable(State::kUnused));
  EXPECT_FALSE(routable(State::kDraining));
  EXPECT_TRUE(routable(State::kUnavailable));
}

TEST(FailOpen, RegisteredStates) {
  for (State s : kAll) {
    EXPECT_EQ(registered(s), s != State::kDraining && s != State::kUnused) << to_string(s);
  }
}

TEST(FailOpen, Examples) {
  using S = State;
  EXPECT_FALSE(fail_open(std::vector<State>{}));
  EXPECT_TRUE(fail_open(std::vector{S::kInitial, S::kInitial}));
  EXPECT_TRUE(fail_open(std::vector{S::kUnhealthy, S::kInitial, S::kDraining}));
  EXPECT_FALSE(fail_open(std::vector{S::kUnhealthy, S::kHealthy}));
  EXPECT_FALSE(fail_open(std::vector{S::kUnhealthy, S::kUnavailable}));
  EXPECT_FALSE(fail_open(std::vector{S::kDraining, S::kUnused}));  // nothing to open to
  // Failing open uses the unhealthy and initial targets, never the draining one.
  EXPECT_TRUE(usable(S::kUnhealthy, true));
  EXPECT_TRUE(usable(S::kInitial, true));
  EXPECT_FALSE(usable(S::kDraining, true));
  EXPECT_FALSE(usable(S::kUnhealthy, false));
}

// Every group of 0..3 targets: fail_open is "some registered, none routable", and the
// targets used are never empty when a registered target exists.
TEST(FailOpen, ExhaustiveOverSmallGroups) {
  for (size_t size = 0; size <= 3; ++size) {
    size_t combos = 1;
    for (size_t i = 0; i < size; ++i) combos *= kAll.size();
    for (size_t c = 0; c < combos; ++c) {
      std::vector<State> states;
      for (size_t i = 0, rest = c; i < size; ++i, rest /= kAll.size()) {
        states.push_back(kAll[rest % kAll.size()]);
      }
      bool any_routable = false;
      bool any_registered = false;
      for (State s : states) {
        any_routable = any_routable || s == State::kHealthy || s == State::kUnavailable;
        any_registered = any_registered || (s != State::kDraining && s != State::kUnused);
      }
      const bool open = fail_open(states);
      EXPECT_EQ(open, any_registered && !any_routable);
      int used = 0;
      for (State s : states) {
        const bool u = usable(s, open);
        used += u ? 1 : 0;
        if (s == State::kDraining || s == State::kUnused) {
          EXPECT_FALSE(u);
        }
        if (!open) {
          EXPECT_EQ(u, routable(s));
        }
      }
      EXPECT_EQ(used > 0, any_registered);
    }
  }
}

}  // namespace
}  // namespace tern::health
