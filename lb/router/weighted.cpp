#include "lb/router/weighted.hpp"

#include <numeric>

namespace tern::router {

SmoothWeightedRoundRobin::SmoothWeightedRoundRobin(std::span<const int> weights)
    : weights_(weights.begin(), weights.end()), current_(weights.size(), 0) {
  for (int w : weights_) total_ += w;
}

size_t SmoothWeightedRoundRobin::next() {
  if (total_ <= 0) return 0;
  size_t best = 0;
  for (size_t i = 0; i < weights_.size(); ++i) {
    current_[i] += weights_[i];
    if (current_[i] > current_[best]) best = i;
  }
  current_[best] -= total_;
  return best;
}

WeightedSchedule::WeightedSchedule(std::span<const int> weights) {
  int divisor = 0;
  for (int w : weights) divisor = std::gcd(divisor, w);
  if (divisor == 0) {
    slots_.push_back(0);
    return;
  }
  std::vector<int> reduced;
  int total = 0;
  for (int w : weights) {
    reduced.push_back(w / divisor);
    total += w / divisor;
  }
  SmoothWeightedRoundRobin swrr(reduced);
  slots_.reserve(static_cast<size_t>(total));
  for (int i = 0; i < total; ++i) slots_.push_back(static_cast<uint8_t>(swrr.next()));
}

}  // namespace tern::router
