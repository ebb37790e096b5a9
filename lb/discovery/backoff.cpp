#include "lb/discovery/backoff.hpp"

#include <algorithm>

namespace tern::discovery {

Backoff::Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max)
    : initial_(std::max(initial, std::chrono::milliseconds(1))), max_(std::max(max, initial_)) {}

std::chrono::milliseconds Backoff::ceiling() const {
  std::chrono::milliseconds c = initial_;
  // Doubling stops at max_, so this cannot overflow however many failures there were.
  for (uint32_t i = 0; i < failures_ && c < max_; ++i) c *= 2;
  return std::min(c, max_);
}

std::chrono::milliseconds Backoff::next(uint64_t random_draw) {
  const std::chrono::milliseconds c = ceiling();
  if (failures_ < UINT32_MAX) ++failures_;
  const auto half = static_cast<uint64_t>(c.count()) / 2;
  const uint64_t span = static_cast<uint64_t>(c.count()) - half;  // [half, c] inclusive
  const uint64_t extra = span == 0 ? 0 : random_draw % (span + 1);
  return std::chrono::milliseconds(static_cast<int64_t>(half + extra));
}

}  // namespace tern::discovery
