// Pick cost against group size, and the control thread's cost of a membership change.
//
//   BM_Pick_*          TargetGroup::pick(worker, {}, &hold), as Exchange calls it, for a
//                      group of 3 and of 5,000 targets, all routable (down:0) or every
//                      other one not routable (down:50); one worker.
//   BM_RoutableLoad    RoutableSet::load into a fresh View with one target not routable:
//                      the copy of the routable bits a pick makes then (1 word for 3
//                      targets, 79 for 5,000; above 16 words into the worker's scratch).
//                      With every target routable nothing is copied (BM_Pick_*/down:0).
//   BM_PrepareInstall  TargetGroup::prepare of a 5,000-target list plus install() of each
//                      worker's copy (which releases that worker's previous copy): the work
//                      of one membership change, all of it run here on one thread.
//   BM_Install         install() alone, one worker's share.
//
// Targets' outstanding counts stay 0 (nothing is forwarded), so least_outstanding_requests
// sees ties everywhere: it still visits every routable target, as it does under load.
#include <benchmark/benchmark.h>

#include <atomic>
#include <bit>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "lb/upstream/routable_set.hpp"
#include "lb/upstream/target_group.hpp"

namespace tern::upstream {
namespace {

std::vector<std::shared_ptr<Target>> make_targets(int n, int range = 0) {
  std::vector<std::shared_ptr<Target>> targets;
  targets.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    auto t = std::make_shared<Target>();
    // 127.R.X.Y:9000, as bench/churn.sh registers them.
    const auto x = static_cast<unsigned>(i / 250);
    const auto y = static_cast<unsigned>(i % 250 + 1);
    const auto r = static_cast<unsigned>(range);
    t->endpoint = {boost::asio::ip::make_address_v4((127u << 24) | (r << 16) | (x << 8) | y), 9000};
    t->id = t->endpoint.address().to_string() + ":9000";
    targets.push_back(std::move(t));
  }
  return targets;
}

// down_percent 50: every other target (odd indices) is not routable.
void take_down(TargetGroup& group, int64_t down_percent) {
  if (down_percent == 0) return;
  for (size_t i = 1; i < group.targets().size(); i += 2) group.routable().set(i, false);
}

void pick(benchmark::State& state, Algorithm algorithm) {
  const auto size = static_cast<int>(state.range(0));
  GroupSettings settings;
  settings.algorithm = algorithm;
  TargetGroup group("app", make_targets(size), 1, settings);
  take_down(group, state.range(1));
  MembersPtr hold;
  int64_t misses = 0;
  for (auto _ : state) {
    const std::shared_ptr<Target>* t = group.pick(0, {}, &hold);
    misses += t == nullptr ? 1 : 0;
    benchmark::DoNotOptimize(t);
  }
  if (misses != 0) state.SkipWithError("pick returned no target");
}

void BM_Pick_round_robin(benchmark::State& state) {
  pick(state, Algorithm::kRoundRobin);
}
void BM_Pick_least_outstanding_requests(benchmark::State& state) {
  pick(state, Algorithm::kLeastOutstandingRequests);
}
void BM_Pick_weighted_random(benchmark::State& state) {
  pick(state, Algorithm::kWeightedRandom);
}

void pick_args(benchmark::internal::Benchmark* b) {
  b->ArgNames({"targets", "down"})->ArgsProduct({{3, 5000}, {0, 50}});
}
BENCHMARK(BM_Pick_round_robin)->Apply(pick_args);
BENCHMARK(BM_Pick_least_outstanding_requests)->Apply(pick_args);
BENCHMARK(BM_Pick_weighted_random)->Apply(pick_args);

void BM_RoutableLoad(benchmark::State& state) {
  RoutableSet bits(static_cast<size_t>(state.range(0)));
  bits.set(0, false);
  std::vector<uint64_t> scratch;  // the worker's, as TargetGroup::pick passes it
  for (auto _ : state) {
    RoutableSet::View v;  // a fresh one per pick, as TargetGroup::pick makes it
    bits.load(v, &scratch);
    benchmark::DoNotOptimize(v.count());
  }
}
BENCHMARK(BM_RoutableLoad)->ArgName("targets")->Arg(3)->Arg(1024)->Arg(1025)->Arg(5000);

// One change: two lists of 5,000 alternate (as bench/churn.sh does), so every install
// releases a worker's copy of the other list, the way a replacement does.
void BM_PrepareInstall(benchmark::State& state) {
  const auto size = static_cast<int>(state.range(0));
  const auto workers = static_cast<int>(state.range(1));
  const std::vector<std::shared_ptr<Target>> lists[2] = {make_targets(size, 0),
                                                         make_targets(size, 1)};
  TargetGroup group("app", lists[1], workers);
  size_t k = 0;
  for (auto _ : state) {
    state.PauseTiming();
    // The caller's list (TargetRegistry::members builds a new vector each time).
    std::vector<std::shared_ptr<Target>> next = lists[k++ & 1];
    state.ResumeTiming();
    std::vector<MembersPtr> copies = group.prepare(std::move(next));
    for (int w = 0; w < workers; ++w) group.install(w, std::move(copies[static_cast<size_t>(w)]));
  }
}
BENCHMARK(BM_PrepareInstall)
    ->ArgNames({"targets", "workers"})
    ->ArgsProduct({{5000}, {1, 2, 8}})
    ->Unit(benchmark::kMicrosecond);

void BM_Install(benchmark::State& state) {
  const auto size = static_cast<int>(state.range(0));
  const std::vector<std::shared_ptr<Target>> lists[2] = {make_targets(size, 0),
                                                         make_targets(size, 1)};
  TargetGroup group("app", lists[1], 1);
  size_t k = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<MembersPtr> copies = group.prepare(lists[k++ & 1]);
    state.ResumeTiming();
    group.install(0, std::move(copies[0]));
  }
}
BENCHMARK(BM_Install)->ArgName("targets")->Arg(5000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace tern::upstream

BENCHMARK_MAIN();
