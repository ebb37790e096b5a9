#include "lb/upstream/routable_set.hpp"

#include <bit>

namespace tern::upstream {

RoutableSet::RoutableSet(size_t size)
    : size_(size),
      nwords_((size + 63) / 64),
      words_(new std::atomic<uint64_t>[nwords_]),
      count_(size) {
  for (size_t w = 0; w < nwords_; ++w) {
    const size_t bits = std::min<size_t>(64, size - w * 64);
    words_[w].store(bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1,
                    std::memory_order_relaxed);
  }
}

bool RoutableSet::test(size_t i) const {
  return (words_[i / 64].load(std::memory_order_relaxed) >> (i % 64)) & 1;
}

void RoutableSet::set(size_t i, bool routable) {
  std::atomic<uint64_t>& word = words_[i / 64];
  const uint64_t bit = uint64_t{1} << (i % 64);
  const uint64_t old = word.load(std::memory_order_relaxed);
  if (((old & bit) != 0) == routable) return;
  word.store(routable ? old | bit : old & ~bit, std::memory_order_relaxed);  // one writer
  const size_t n = count_.load(std::memory_order_relaxed);
  count_.store(routable ? n + 1 : n - 1, std::memory_order_relaxed);
}

void RoutableSet::load(View& view, std::vector<uint64_t>* scratch) const {
  view.nwords_ = nwords_;
  // All routable (a bit cleared this instant may still be picked once: as if the pick
  // had come a moment earlier).
  if (count_.load(std::memory_order_relaxed) == size_) {
    view.all_ = true;
    view.count_ = size_;
    return;
  }
  view.all_ = false;
  uint64_t* out = view.inline_;
  if (nwords_ > View::kInline) {
    if (scratch != nullptr) {
      if (scratch->size() < nwords_) scratch->resize(nwords_);
      out = scratch->data();
    } else {
      view.heap_.reset(new uint64_t[nwords_]);
      out = view.heap_.get();
    }
  }
  size_t count = 0;
  for (size_t w = 0; w < nwords_; ++w) {
    out[w] = words_[w].load(std::memory_order_relaxed);
    count += static_cast<size_t>(std::popcount(out[w]));
  }
  view.words_ = out;
  view.nwords_ = nwords_;
  view.count_ = count;
}

size_t RoutableSet::View::select(size_t k) const {
  if (all_) return k;
  for (size_t w = 0; w < nwords_; ++w) {
    const auto n = static_cast<size_t>(std::popcount(words_[w]));
    if (k < n) return w * 64 + select_bit(words_[w], static_cast<unsigned>(k));
    k -= n;
  }
  return 0;  // k >= count(): callers never ask
}

unsigned select_bit(uint64_t word, unsigned k) {
  // Clear the k lowest set bits, then the lowest remaining one is the answer.
  for (unsigned i = 0; i < k; ++i) word &= word - 1;
  return static_cast<unsigned>(std::countr_zero(word));
}

}  // namespace tern::upstream
