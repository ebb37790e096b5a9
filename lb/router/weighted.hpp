// Weighted choice among a forward action's target groups (weights 0..999, ALB), exact over
// many requests: nginx's smooth weighted round robin (ngx_http_upstream_round_robin.c),
// which spreads the picks evenly (90/10 gives one canary request in every ten, not ten
// in a row) and, over one period of sum(weights) picks, gives each group exactly its
// weight.
//
// SmoothWeightedRoundRobin is the stateful algorithm. WeightedSchedule is one period of it,
// computed once per snapshot, so that a pick is a pure function of a sequence number:
// workers keep nothing but a counter (see ForwardPlan::choose) and the shared schedule
// stays immutable.
//
// Thread affinity: SmoothWeightedRoundRobin: one thread. WeightedSchedule: built on the
// control thread, then immutable and read by every worker. Ownership: values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace tern::router {

class SmoothWeightedRoundRobin {
 public:
  explicit SmoothWeightedRoundRobin(std::span<const int> weights);
  // Index of the next pick; every weight 0 (or no weights) always gives 0.
  size_t next();

 private:
  std::vector<int> weights_;
  std::vector<int> current_;
  int total_ = 0;
};

class WeightedSchedule {
 public:
  WeightedSchedule() = default;
  // Weights are divided by their greatest common divisor first (90/10 -> a period of 10).
  explicit WeightedSchedule(std::span<const int> weights);

  size_t pick(uint64_t sequence) const {
    return slots_.size() <= 1 ? (slots_.empty() ? 0 : slots_[0])
                              : slots_[static_cast<size_t>(sequence % slots_.size())];
  }
  size_t period() const { return slots_.size(); }

 private:
  std::vector<uint8_t> slots_;  // at most 5 groups of weight <= 999: <= 4995 slots
};

}  // namespace tern::router
