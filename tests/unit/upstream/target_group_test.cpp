// Round robin per worker: each worker cycles through every target, workers start at
// evenly spread offsets, so that together they spread load evenly with no shared state.
#include "lb/upstream/target_group.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace tern::upstream {
namespace {

std::vector<std::shared_ptr<Target>> make_targets(int n) {
  std::vector<std::shared_ptr<Target>> targets;
  for (int i = 0; i < n; ++i) {
    auto t = std::make_shared<Target>();
    t->id = "10.0.0." + std::to_string(i + 1) + ":8000";
    t->endpoint = {boost::asio::ip::make_address_v4(0x0a000001u + static_cast<unsigned>(i)), 8000};
    targets.push_back(std::move(t));
  }
  return targets;
}

// Index of the target pick() returned.
int pick_index(TargetGroup& group, int worker) {
  const std::shared_ptr<Target>* t = group.pick(worker);
  if (t == nullptr) return -1;
  return static_cast<int>(t - group.targets().data());
}

TEST(TargetGroup, NameAndTargets) {
  auto targets = make_targets(3);
  TargetGroup group("app", targets, 2);
  EXPECT_EQ(group.name(), "app");
  ASSERT_EQ(group.targets().size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(group.targets()[i], targets[i]);
}

TEST(TargetGroup, EmptyGroupPicksNothing) {
  TargetGroup group("empty", {}, 4);
  for (int w = 0; w < 4; ++w) {
    for (int i = 0; i < 3; ++i) EXPECT_EQ(group.pick(w), nullptr);
  }
}

TEST(TargetGroup, SingleTargetAlways) {
  TargetGroup group("one", make_targets(1), 3);
  for (int w = 0; w < 3; ++w) {
    for (int i = 0; i < 5; ++i) EXPECT_EQ(pick_index(group, w), 0);
  }
}

TEST(TargetGroup, OneWorkerCyclesInOrder) {
  TargetGroup group("g", make_targets(4), 1);
  std::vector<int> got;
  for (int i = 0; i < 10; ++i) got.push_back(pick_index(group, 0));
  EXPECT_EQ(got, (std::vector<int>{0, 1, 2, 3, 0, 1, 2, 3, 0, 1}));
}

TEST(TargetGroup, WorkersStartAtSpreadOffsets) {
  // Worker w starts at floor(w * n / workers).
  TargetGroup group("g", make_targets(4), 2);
  EXPECT_EQ(pick_index(group, 0), 0);
  EXPECT_EQ(pick_index(group, 1), 2);
  EXPECT_EQ(pick_index(group, 0), 1);
  EXPECT_EQ(pick_index(group, 1), 3);
  EXPECT_EQ(pick_index(group, 1), 0);
  EXPECT_EQ(pick_index(group, 0), 2);
}

TEST(TargetGroup, WorkersAreIndependent) {
  // Picks on one worker never move another worker's position.
  TargetGroup group("g", make_targets(3), 3);
  for (int i = 0; i < 7; ++i) group.pick(0);
  EXPECT_EQ(pick_index(group, 1), 1);
  EXPECT_EQ(pick_index(group, 2), 2);
  EXPECT_EQ(pick_index(group, 0), 1);  // 7 picks from 0: next is 7 % 3
}

struct Shape {
  int targets;
  int workers;
};

class RoundRobinTest : public ::testing::TestWithParam<Shape> {};

TEST_P(RoundRobinTest, EachWorkerVisitsEveryTargetOncePerCycle) {
  auto [n, workers] = GetParam();
  TargetGroup group("g", make_targets(n), workers);
  for (int w = 0; w < workers; ++w) {
    for (int cycle = 0; cycle < 3; ++cycle) {
      std::vector<int> seen(static_cast<size_t>(n), 0);
      for (int i = 0; i < n; ++i) ++seen[static_cast<size_t>(pick_index(group, w))];
      EXPECT_EQ(seen, std::vector<int>(static_cast<size_t>(n), 1)) << "worker " << w;
    }
  }
}

TEST_P(RoundRobinTest, AcrossWorkersTheSpreadIsEven) {
  // Whatever the number of requests per worker, when every worker serves as many, no
  // target gets more than one request more than another.
  auto [n, workers] = GetParam();
  for (int k = 1; k <= 3 * n; ++k) {
    TargetGroup group("g", make_targets(n), workers);
    std::vector<int> count(static_cast<size_t>(n), 0);
    for (int w = 0; w < workers; ++w) {
      for (int i = 0; i < k; ++i) ++count[static_cast<size_t>(pick_index(group, w))];
    }
    auto [lo, hi] = std::minmax_element(count.begin(), count.end());
    EXPECT_LE(*hi - *lo, 1) << n << " targets, " << workers << " workers, " << k << " each";
  }
}

TEST_P(RoundRobinTest, FirstPicksOfAllWorkersSpread) {
  // A burst of one request per worker (a fresh start) does not pile onto target 0.
  auto [n, workers] = GetParam();
  TargetGroup group("g", make_targets(n), workers);
  std::vector<int> count(static_cast<size_t>(n), 0);
  for (int w = 0; w < workers; ++w) ++count[static_cast<size_t>(pick_index(group, w))];
  int most = *std::max_element(count.begin(), count.end());
  EXPECT_EQ(most, (workers + n - 1) / n);
}

std::vector<Shape> shapes() {
  std::vector<Shape> out;
  for (int n = 1; n <= 7; ++n) {
    for (int w : {1, 2, 3, 4, 8, 16}) out.push_back({n, w});
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(Shapes, RoundRobinTest, ::testing::ValuesIn(shapes()),
                         [](const ::testing::TestParamInfo<Shape>& i) {
                           return std::to_string(i.param.targets) + "targets_" +
                                  std::to_string(i.param.workers) + "workers";
                         });

}  // namespace
}  // namespace tern::upstream
