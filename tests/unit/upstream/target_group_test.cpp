// Balancing: each algorithm's distribution over routable targets, fairness across
// workers, avoidance of failed targets on retry, slow-start ramps, stickiness lookups.
#include "lb/upstream/target_group.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
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

GroupSettings with(Algorithm a) {
  GroupSettings s;
  s.algorithm = a;
  return s;
}

// Index of the target pick() returned.
int pick_index(TargetGroup& group, int worker, std::span<const Target* const> avoid = {}) {
  const std::shared_ptr<Target>* t = group.pick(worker, avoid);
  if (t == nullptr) return -1;
  return static_cast<int>(t - group.members(worker)->targets.data());
}

std::vector<int> counts(TargetGroup& group, int picks, int worker = 0) {
  std::vector<int> c(group.targets().size(), 0);
  for (int i = 0; i < picks; ++i) {
    const int k = pick_index(group, worker);
    if (k >= 0) ++c[static_cast<size_t>(k)];
  }
  return c;
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

TEST(TargetGroup, NameAndTargets) {
  auto targets = make_targets(3);
  TargetGroup group("app", targets, 2);
  EXPECT_EQ(group.name(), "app");
  ASSERT_EQ(group.targets().size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(group.targets()[i], targets[i]);
}

TEST(TargetGroup, EmptyGroupPicksNothingWithEveryAlgorithm) {
  for (auto a :
       {Algorithm::kRoundRobin, Algorithm::kLeastOutstandingRequests, Algorithm::kWeightedRandom}) {
    TargetGroup group("empty", {}, 4, with(a));
    for (int w = 0; w < 4; ++w) EXPECT_EQ(group.pick(w), nullptr);
  }
}

TEST(TargetGroup, NoRoutableTargetPicksNothing) {
  for (auto a :
       {Algorithm::kRoundRobin, Algorithm::kLeastOutstandingRequests, Algorithm::kWeightedRandom}) {
    TargetGroup group("g", make_targets(3), 1, with(a));
    for (size_t i = 0; i < 3; ++i) group.routable().set(i, false);
    EXPECT_EQ(group.pick(0), nullptr);
  }
}

TEST(RoundRobin, OneWorkerCyclesInOrder) {
  TargetGroup group("g", make_targets(4), 1);
  std::vector<int> got;
  for (int i = 0; i < 10; ++i) got.push_back(pick_index(group, 0));
  EXPECT_EQ(got, (std::vector<int>{0, 1, 2, 3, 0, 1, 2, 3, 0, 1}));
}

TEST(RoundRobin, RotationIsSharedByWorkers) {
  // Alternating workers still see one rotation: fair over the process as a whole.
  TargetGroup group("g", make_targets(3), 2);
  std::vector<int> got;
  for (int i = 0; i < 6; ++i) got.push_back(pick_index(group, i % 2));
  EXPECT_EQ(got, (std::vector<int>{0, 1, 2, 0, 1, 2}));
}

TEST(RoundRobin, ExactlyEvenOverConcurrentWorkers) {
  constexpr int kWorkers = 4;
  constexpr int kPicks = 30000;
  TargetGroup group("g", make_targets(3), kWorkers);
  std::vector<std::vector<int>> per(kWorkers);
  std::vector<std::thread> threads;
  for (int w = 0; w < kWorkers; ++w) {
    threads.emplace_back([&, w] { per[static_cast<size_t>(w)] = counts(group, kPicks, w); });
  }
  for (auto& t : threads) t.join();
  std::vector<int> total(3, 0);
  for (const auto& c : per) {
    for (size_t i = 0; i < 3; ++i) total[i] += c[i];
  }
  EXPECT_EQ(total, (std::vector<int>{kWorkers * kPicks / 3, kWorkers * kPicks / 3,
                                     kWorkers * kPicks / 3}));
}

TEST(RoundRobin, DownTargetsTurnsAreSharedEvenly) {
  // Not "the next one inherits the turn": with B down, A and C get half each.
  TargetGroup group("g", make_targets(3), 1);
  group.routable().set(1, false);
  EXPECT_EQ(counts(group, 1000), (std::vector<int>{500, 0, 500}));
  group.routable().set(1, true);
  EXPECT_EQ(counts(group, 999), (std::vector<int>{333, 333, 333}));
}

TEST(RoundRobin, AvoidsTargetsThatAlreadyFailed) {
  TargetGroup group("g", make_targets(3), 1);
  const Target* failed[] = {group.targets()[0].get(), group.targets()[1].get()};
  for (int i = 0; i < 5; ++i) EXPECT_EQ(pick_index(group, 0, failed), 2);
  const Target* all[] = {group.targets()[0].get(), group.targets()[1].get(),
                         group.targets()[2].get()};
  EXPECT_EQ(pick_index(group, 0, all), -1);
}

TEST(RoundRobin, ManyTargetsBeyondOneWord) {
  TargetGroup group("g", make_targets(200), 1);
  for (size_t i = 0; i < 200; i += 3) group.routable().set(i, false);
  auto c = counts(group, 133 * 10);
  for (size_t i = 0; i < 200; ++i) EXPECT_EQ(c[i], i % 3 == 0 ? 0 : 10) << i;
}

TEST(LeastOutstanding, PicksTheIdlestTarget) {
  TargetGroup group("g", make_targets(3), 1, with(Algorithm::kLeastOutstandingRequests));
  group.targets()[0]->outstanding = 5;
  group.targets()[1]->outstanding = 2;
  group.targets()[2]->outstanding = 7;
  for (int i = 0; i < 5; ++i) EXPECT_EQ(pick_index(group, 0), 1);
  group.targets()[1]->outstanding = 9;
  EXPECT_EQ(pick_index(group, 0), 0);
}

TEST(LeastOutstanding, TiesRotate) {
  TargetGroup group("g", make_targets(3), 1, with(Algorithm::kLeastOutstandingRequests));
  EXPECT_EQ(counts(group, 300), (std::vector<int>{100, 100, 100}));
}

TEST(LeastOutstanding, SkipsUnroutableAndAvoided) {
  TargetGroup group("g", make_targets(3), 1, with(Algorithm::kLeastOutstandingRequests));
  group.targets()[2]->outstanding = 10;
  group.routable().set(0, false);
  const Target* failed[] = {group.targets()[1].get()};
  EXPECT_EQ(pick_index(group, 0, failed), 2);
}

TEST(LeastOutstanding, SlowTargetGetsLessOfASimulatedLoad) {
  // Each pick holds its target for a while; a target whose requests last 4x longer ends
  // up with about a quarter of the share of the others.
  TargetGroup group("g", make_targets(3), 1, with(Algorithm::kLeastOutstandingRequests));
  std::vector<std::pair<int, size_t>> in_flight;  // (ticks left, target)
  std::vector<int> served(3, 0);
  for (int tick = 0; tick < 20000; ++tick) {
    for (auto& f : in_flight) --f.first;
    std::erase_if(in_flight, [&](const auto& f) {
      if (f.first > 0) return false;
      --group.targets()[f.second]->outstanding;
      return true;
    });
    const int k = pick_index(group, 0);
    ++served[static_cast<size_t>(k)];
    ++group.targets()[static_cast<size_t>(k)]->outstanding;
    in_flight.emplace_back(k == 0 ? 40 : 10, static_cast<size_t>(k));
  }
  EXPECT_GT(served[1], 3 * served[0]) << served[0] << " " << served[1] << " " << served[2];
  EXPECT_GT(served[2], 3 * served[0]);
  EXPECT_NEAR(served[1], served[2], served[1] / 20);
}

TEST(WeightedRandom, UniformOverRoutableTargets) {
  TargetGroup group("g", make_targets(4), 1, with(Algorithm::kWeightedRandom));
  group.routable().set(3, false);
  auto c = counts(group, 30000);
  EXPECT_EQ(c[3], 0);
  for (size_t i = 0; i < 3; ++i) EXPECT_NEAR(c[i], 10000, 400) << i;
}

TEST(WeightedRandom, NotARotation) {
  TargetGroup group("g", make_targets(2), 1, with(Algorithm::kWeightedRandom));
  int repeats = 0;
  int last = -1;
  for (int i = 0; i < 1000; ++i) {
    const int k = pick_index(group, 0);
    repeats += k == last;
    last = k;
  }
  EXPECT_GT(repeats, 400);  // a rotation would never repeat; random repeats half the time
  EXPECT_LT(repeats, 600);
}

TEST(WeightedRandom, WorkersDrawDifferentSequences) {
  TargetGroup group("g", make_targets(8), 2, with(Algorithm::kWeightedRandom));
  std::vector<int> a, b;
  for (int i = 0; i < 32; ++i) a.push_back(pick_index(group, 0));
  for (int i = 0; i < 32; ++i) b.push_back(pick_index(group, 1));
  EXPECT_NE(a, b);
}

TEST(SlowStart, RampWeightIsLinear) {
  Target t;
  const auto window = std::chrono::milliseconds(100000);
  EXPECT_EQ(TargetGroup::ramp_weight(t, window, 5000), 100);  // not ramping
  t.slow_start_begin_ms = 1000;
  EXPECT_EQ(TargetGroup::ramp_weight(t, window, 1000), 1);  // never starved
  EXPECT_EQ(TargetGroup::ramp_weight(t, window, 26000), 25);
  EXPECT_EQ(TargetGroup::ramp_weight(t, window, 51000), 50);
  EXPECT_EQ(TargetGroup::ramp_weight(t, window, 100999), 99);
  EXPECT_EQ(TargetGroup::ramp_weight(t, window, 101000), 100);
  EXPECT_EQ(TargetGroup::ramp_weight(t, std::chrono::milliseconds(0), 1001), 100);
}

TEST(SlowStart, RoundRobinGivesARampingTargetItsShare) {
  GroupSettings s;
  s.slow_start = std::chrono::seconds(100);
  TargetGroup group("g", make_targets(2), 1, s);
  // Target 1 is a quarter into its ramp: weight 25 against 100.
  group.targets()[1]->slow_start_begin_ms = now_ms() - 25000;
  group.set_ramp_until(now_ms() + 75000);
  auto c = counts(group, 1250);
  EXPECT_NEAR(c[1], 250, 5);
  EXPECT_NEAR(c[0], 1000, 5);
}

TEST(SlowStart, SmoothWeightedInterleaves) {
  GroupSettings s;
  s.slow_start = std::chrono::seconds(100);
  TargetGroup group("g", make_targets(2), 1, s);
  group.targets()[1]->slow_start_begin_ms = now_ms() - 50000;  // weight 50 vs 100
  group.set_ramp_until(now_ms() + 50000);
  std::vector<int> got;
  for (int i = 0; i < 6; ++i) got.push_back(pick_index(group, 0));
  EXPECT_EQ(got, (std::vector<int>{0, 1, 0, 0, 1, 0}));  // not 0,0,0,0,1,1
}

TEST(SlowStart, AfterTheWindowEveryTargetIsEqual) {
  GroupSettings s;
  s.slow_start = std::chrono::seconds(30);
  TargetGroup group("g", make_targets(2), 1, s);
  group.targets()[1]->slow_start_begin_ms = now_ms() - 31000;
  group.set_ramp_until(now_ms() - 1000);
  EXPECT_EQ(counts(group, 100), (std::vector<int>{50, 50}));
}

TEST(SlowStart, LeastOutstandingTreatsARampingTargetAsBusier) {
  GroupSettings s = with(Algorithm::kLeastOutstandingRequests);
  s.slow_start = std::chrono::seconds(100);
  TargetGroup group("g", make_targets(2), 1, s);
  group.targets()[1]->slow_start_begin_ms = now_ms() - 10000;  // weight 10
  group.set_ramp_until(now_ms() + 90000);
  group.targets()[0]->outstanding = 3;  // (3+1)/1.0 = 4 < (0+1)/0.1 = 10
  EXPECT_EQ(pick_index(group, 0), 0);
  group.targets()[0]->outstanding = 12;  // 13 > 10
  EXPECT_EQ(pick_index(group, 0), 1);
}

TEST(Sticky, FindRoutableByEndpoint) {
  TargetGroup group("g", make_targets(3), 1);
  const auto ep = group.targets()[2]->endpoint;
  ASSERT_NE(group.find_routable(0, ep), nullptr);
  EXPECT_EQ(group.find_routable(0, ep)->get(), group.targets()[2].get());
  group.routable().set(2, false);
  EXPECT_EQ(group.find_routable(0, ep), nullptr);
  EXPECT_EQ(group.find_routable(0, {boost::asio::ip::make_address_v4("192.0.2.1"), 8000}), nullptr);
}

}  // namespace
}  // namespace tern::upstream

namespace tern::upstream {
namespace {

std::set<std::string> picked_ids(TargetGroup& group, int worker, int picks) {
  std::set<std::string> out;
  for (int i = 0; i < picks; ++i) {
    const std::shared_ptr<Target>* t = group.pick(worker);
    if (t != nullptr) out.insert((*t)->id);
  }
  return out;
}

TEST(TargetGroupMembers, EachWorkerPicksFromTheListItInstalled) {
  auto targets = make_targets(3);
  TargetGroup group("app", targets, 2);
  auto fresh = make_targets(5);  // 10.0.0.4 and 10.0.0.5 are new
  std::vector<std::shared_ptr<Target>> next = {targets[1], fresh[3], fresh[4]};
  std::vector<MembersPtr> copies = group.prepare(next);
  ASSERT_EQ(copies.size(), 2u);
  EXPECT_NE(copies[0].get(), copies[1].get());          // one copy per worker
  EXPECT_EQ(copies[0]->routable, copies[1]->routable);  // one set of bits per version
  EXPECT_EQ(group.targets(), next);  // the control thread sees the latest at once
  group.install(0, std::move(copies[0]));
  EXPECT_EQ(picked_ids(group, 0, 30),
            (std::set<std::string>{"10.0.0.2:8000", "10.0.0.4:8000", "10.0.0.5:8000"}));
  // Worker 1 has not installed it yet: it still picks from the old list.
  EXPECT_EQ(picked_ids(group, 1, 30),
            (std::set<std::string>{"10.0.0.1:8000", "10.0.0.2:8000", "10.0.0.3:8000"}));
  group.install(1, std::move(copies[1]));
  EXPECT_EQ(picked_ids(group, 1, 30).count("10.0.0.1:8000"), 0u);
}

TEST(TargetGroupMembers, BitsOfTheNewVersionAreSetBeforeWorkersSeeIt) {
  auto targets = make_targets(3);
  TargetGroup group("app", targets, 1);
  std::vector<MembersPtr> copies = group.prepare(targets);
  group.routable().set(0, false);
  group.routable().set(2, false);
  group.install(0, std::move(copies[0]));
  EXPECT_EQ(picked_ids(group, 0, 10), (std::set<std::string>{"10.0.0.2:8000"}));
}

TEST(TargetGroupMembers, HeldListOutlivesAnInstall) {
  auto targets = make_targets(2);
  TargetGroup group("app", targets, 1);
  MembersPtr hold;
  const std::shared_ptr<Target>* t = group.pick(0, {}, &hold);
  ASSERT_NE(t, nullptr);
  const Members* held = hold.get();
  EXPECT_EQ(held->refs, 2u);  // the slot and the hold
  group.install(0, std::move(group.prepare(make_targets(1))[0]));
  // The old list lives on in `hold`: the pointer is still valid.
  EXPECT_EQ(hold.get(), held);
  EXPECT_EQ(held->refs, 1u);
  EXPECT_TRUE((*t)->id == "10.0.0.1:8000" || (*t)->id == "10.0.0.2:8000");
  MembersPtr sticky;
  EXPECT_EQ(group.find_routable(0, targets[1]->endpoint, &sticky), nullptr);  // left the group
}

TEST(TargetGroupMembers, RetryBudgetSurvivesMembershipChanges) {
  auto targets = make_targets(2);
  TargetGroup group("app", targets, 1);
  int granted = 0;
  while (group.take_retry(0)) ++granted;
  EXPECT_EQ(granted, 10);  // the starting budget, spent
  group.install(0, std::move(group.prepare(make_targets(3))[0]));
  EXPECT_FALSE(group.take_retry(0));  // a new list does not refill it
}

}  // namespace
}  // namespace tern::upstream

namespace tern::upstream {
namespace {

TEST(TargetGroupMembers, RetryBudgetsCarryOverToTheNextGeneration) {
  auto targets = make_targets(2);
  TargetGroup old_group("app", targets, 2);
  while (old_group.take_retry(1)) {
  }
  TargetGroup next("app", targets, 2, {}, old_group.retry_budgets());  // a reload
  EXPECT_FALSE(next.take_retry(1));
  EXPECT_TRUE(next.take_retry(0));  // worker 0 had not spent its own
}

}  // namespace
}  // namespace tern::upstream
