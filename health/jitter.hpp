// When the next probe of a target happens.
//
//  - next_delay: the interval jittered by at most 10 % either way (spec/config.md, "Health,
//    exactly"), so that probes of many targets started together drift apart instead of
//    hitting the targets (and the control thread) in lock step.
//  - first_delay: a new target is probed soon, as ALB probes a registered target right
//    away, but not all at once: within the first tenth of the interval (so a 30 s check
//    starts within 3 s and a 100 ms check within 10 ms), spread by `random`.
//
// `random` is any uniformly distributed 64-bit value (the caller owns the generator), which
// keeps these pure and testable at the bounds.
//
// Thread affinity: none (pure functions). Ownership: nothing kept.
#pragma once

#include <chrono>
#include <cstdint>

namespace tern::health {

using Nanoseconds = std::chrono::nanoseconds;

// In [0.9 * interval, 1.1 * interval] (rounded to whole nanoseconds); a non-positive
// interval gives 0.
constexpr Nanoseconds next_delay(Nanoseconds interval, uint64_t random) {
  if (interval.count() <= 0) return Nanoseconds{0};
  const uint64_t total = static_cast<uint64_t>(interval.count());
  const uint64_t spread = total / 10;
  return Nanoseconds{static_cast<Nanoseconds::rep>(total - spread + random % (2 * spread + 1))};
}

// In [0, interval / 10], which is within [0, interval) for any interval of at least 2 ns;
// a non-positive interval gives 0.
constexpr Nanoseconds first_delay(Nanoseconds interval, uint64_t random) {
  if (interval.count() <= 0) return Nanoseconds{0};
  const uint64_t spread = static_cast<uint64_t>(interval.count()) / 10;
  return Nanoseconds{static_cast<Nanoseconds::rep>(random % (spread + 1))};
}

}  // namespace tern::health
