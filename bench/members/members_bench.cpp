// Pick cost against group size, and the control thread's cost of a membership change.
//
//   BM_Pick_*          TargetGroup::pick(worker, {}, &hold), as Exchange calls it, for a
//                      group of 3 and of 5,000 targets, all routable (down:0) or every
//                      other one not routable (down:50); one worker.
//   BM_RoutableLoad    RoutableSet::load into a fresh View: the copy of the routable
//                      bits every pick makes (1 word for 3 targets, 79 for 5,000; above 16
//                      words the View allocates its copy on the heap).
//   BM_PrepareInstall  TargetGroup::prepare of a 5,000-target list plus install() of each
//                      worker's copy (which releases that worker's previous copy): the work
//                      of one membership change, all of it run here on one thread.
//   BM_Install         install() alone, one worker's share.
//   BM_Sketch_*        NOT tern code: a round robin over the same bits that keeps the
//                      routable count (and, for _prefix, per-word prefix counts) beside
//                      them and copies nothing, to size the change proposed in RESULTS.md.
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
  const RoutableSet bits(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    RoutableSet::View v;  // a fresh one per pick, as TargetGroup::pick makes it
    bits.load(v);
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

// The proposal, sketched outside tern (RESULTS.md, "A cheaper pick"): the writer keeps
// the routable count beside the words and, after each batch of set() calls, the number of
// routable targets before each word. A pick reads the count, takes the k-th target at
// once when every target is routable, and otherwise finds the word holding the k-th bit
// by a binary search over those prefix counts and reads that one word. No copy, no
// allocation. A reader that raced the writer (the word does not hold the bit the prefix
// promises) scans the words, as tern's View::select does; with kPrefix false it always
// scans (the count-only variant). The fallback is never taken here.
template <bool kPrefix>
class SketchBits {
 public:
  explicit SketchBits(size_t size)
      : size_(size),
        nwords_((size + 63) / 64),
        words_(new std::atomic<uint64_t>[nwords_]),
        before_(new std::atomic<uint32_t>[nwords_]) {
    for (size_t w = 0; w < nwords_; ++w) {
      const size_t bits = std::min<size_t>(64, size - w * 64);
      words_[w].store(bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1);
    }
    publish();
  }
  // Writer: one bit, then publish() once the batch is done.
  void set(size_t i, bool on) {
    const uint64_t bit = uint64_t{1} << (i % 64);
    const uint64_t old = words_[i / 64].load(std::memory_order_relaxed);
    words_[i / 64].store(on ? old | bit : old & ~bit, std::memory_order_relaxed);
  }
  void publish() {
    uint32_t total = 0;
    for (size_t w = 0; w < nwords_; ++w) {
      before_[w].store(total, std::memory_order_relaxed);
      total += static_cast<uint32_t>(std::popcount(words_[w].load(std::memory_order_relaxed)));
    }
    count_.store(total, std::memory_order_relaxed);
  }
  size_t count() const { return count_.load(std::memory_order_relaxed); }
  // The k-th routable index, or SIZE_MAX when the words no longer hold k+1 bits.
  size_t select(size_t k) const {
    if (k < size_ && count() == size_) return k;
    if (kPrefix) {
      size_t lo = 0, hi = nwords_;  // the last word whose prefix is <= k
      while (hi - lo > 1) {
        const size_t mid = (lo + hi) / 2;
        if (before_[mid].load(std::memory_order_relaxed) <= k)
          lo = mid;
        else
          hi = mid;
      }
      const uint64_t word = words_[lo].load(std::memory_order_relaxed);
      const size_t j = k - before_[lo].load(std::memory_order_relaxed);
      if (j < static_cast<size_t>(std::popcount(word))) {
        return lo * 64 + select_bit(word, static_cast<unsigned>(j));
      }
    }
    for (size_t w = 0; w < nwords_; ++w) {
      const uint64_t word = words_[w].load(std::memory_order_relaxed);
      const auto n = static_cast<size_t>(std::popcount(word));
      if (k < n) return w * 64 + select_bit(word, static_cast<unsigned>(k));
      k -= n;
    }
    return SIZE_MAX;
  }

 private:
  size_t size_;
  size_t nwords_;
  std::unique_ptr<std::atomic<uint64_t>[]> words_;
  std::unique_ptr<std::atomic<uint32_t>[]> before_;  // routable bits in words before w
  std::atomic<size_t> count_{0};
};

template <bool kPrefix>
void sketch_round_robin(benchmark::State& state) {
  const auto size = static_cast<size_t>(state.range(0));
  SketchBits<kPrefix> bits(size);
  if (state.range(1) != 0) {
    for (size_t i = 1; i < size; i += 2) bits.set(i, false);
    bits.publish();
  }
  const std::vector<std::shared_ptr<Target>> targets = make_targets(static_cast<int>(size));
  alignas(64) std::atomic<uint64_t> sequence{0};
  for (auto _ : state) {
    const size_t count = bits.count();
    const uint64_t seq = sequence.fetch_add(1, std::memory_order_relaxed);
    const size_t i = bits.select(seq % count);
    if (i == SIZE_MAX) std::abort();
    benchmark::DoNotOptimize(&targets[i]);
  }
}
void BM_Sketch_round_robin_count(benchmark::State& state) {
  sketch_round_robin<false>(state);
}
void BM_Sketch_round_robin_prefix(benchmark::State& state) {
  sketch_round_robin<true>(state);
}
BENCHMARK(BM_Sketch_round_robin_count)->Apply(pick_args);
BENCHMARK(BM_Sketch_round_robin_prefix)->Apply(pick_args);

}  // namespace
}  // namespace tern::upstream

BENCHMARK_MAIN();
