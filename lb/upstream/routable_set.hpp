// Which targets of a group may be picked: one bit per target. The control thread is the
// only writer (health checks, fail-open, passive ejection, draining); workers read the
// words when they pick, so a pick costs one relaxed load per 64 targets. Counting and
// selecting the k-th routable target over the bits is what lets round robin be fair over
// the routable targets alone (a down target's turn is not inherited by its neighbour).
// The writer also keeps the number of routable targets: while every target is routable
// (the usual case) a pick copies nothing and selects in O(1), whatever the group's size.
//
// Thread affinity: set() on the control thread only; everything else on any thread.
// Ownership: a member of its TargetGroup.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace tern::upstream {

class RoutableSet {
 public:
  // `size` targets, all routable.
  explicit RoutableSet(size_t size);

  size_t size() const { return size_; }
  size_t count() const { return count_.load(std::memory_order_relaxed); }  // routable now
  bool test(size_t i) const;
  void set(size_t i, bool routable);  // control thread only

  // A consistent copy of the bits for one pick (the writer may change them meanwhile).
  class View {
   public:
    size_t count() const { return count_; }
    bool test(size_t i) const { return all_ || ((words_[i / 64] >> (i % 64)) & 1); }
    // Index of the k-th (0-based) routable target; k < count().
    size_t select(size_t k) const;

   private:
    friend class RoutableSet;
    static constexpr size_t kInline = 16;  // 1,024 targets without a heap copy
    uint64_t inline_[kInline];             // only the first nwords_ are written and read
    std::unique_ptr<uint64_t[]> heap_;
    const uint64_t* words_ = inline_;
    size_t nwords_ = 0;
    size_t count_ = 0;
    bool all_ = false;  // every target routable: nothing was copied
  };
  // Fills `view`. Every target routable: no copy. Otherwise the words are copied, beyond
  // 1,024 targets into `scratch` when given (the caller's, grown once and reused: no
  // allocation per pick), else into a heap block of the view's own.
  void load(View& view, std::vector<uint64_t>* scratch = nullptr) const;

 private:
  size_t size_;
  size_t nwords_;
  std::unique_ptr<std::atomic<uint64_t>[]> words_;
  std::atomic<size_t> count_;  // routable targets; written with the bits, by one writer
};

// Index of the k-th set bit of `word` (k < popcount(word)).
unsigned select_bit(uint64_t word, unsigned k);

}  // namespace tern::upstream
