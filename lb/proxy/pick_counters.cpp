#include "lb/proxy/pick_counters.hpp"

namespace tern::proxy {

PickCounters::PickCounters(int workers, std::span<const bool> weighted)
    : slot_of_route_(weighted.size(), 0) {
  uint32_t next = 1;  // slot 0 is the spare
  for (size_t r = 0; r < weighted.size(); ++r) {
    if (weighted[r]) slot_of_route_[r] = next++;
  }
  lines_per_worker_ = (next + kPerLine - 1) / kPerLine;
  lines_ =
      std::make_unique<Line[]>(lines_per_worker_ * static_cast<size_t>(workers > 0 ? workers : 1));
}

}  // namespace tern::proxy
