// Per-worker sequence numbers of a listener's weighted forward actions: the counter that
// router::ForwardPlan::choose advances to walk its weighted schedule. Each worker has its
// own block of cache lines, so a pick takes no lock and shares no line; since each
// worker walks every schedule period exactly, the split is exact over all workers too.
// A new snapshot builds new counters, which is the reset on reload.
//
// Thread affinity: built on the control thread with the snapshot; afterwards worker w
// alone touches at(w, ...). Ownership: held by a ListenerRuntime (unique_ptr); lives as
// long as the snapshot.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace tern::proxy {

class PickCounters {
 public:
  // `weighted[r]`: whether route r needs a counter (a forward to several groups).
  PickCounters(int workers, std::span<const bool> weighted);

  // The counter of route `route` for worker `worker`. Routes without one share a
  // per-worker spare slot (written, never read meaningfully).
  uint64_t& at(int worker, size_t route) const {
    const size_t slot = route < slot_of_route_.size() ? slot_of_route_[route] : 0;
    return lines_[static_cast<size_t>(worker) * lines_per_worker_ + slot / kPerLine]
        .value[slot % kPerLine];
  }

 private:
  static constexpr size_t kPerLine = 8;
  struct alignas(64) Line {
    uint64_t value[kPerLine] = {};
  };

  std::vector<uint32_t> slot_of_route_;  // 0 = the spare slot
  size_t lines_per_worker_ = 1;
  std::unique_ptr<Line[]> lines_;
};

}  // namespace tern::proxy
