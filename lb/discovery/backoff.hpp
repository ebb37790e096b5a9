// Exponential backoff with jitter for a throttled (or failing) ECS poll (spec/config.md:
// "ThrottlingException → exponential backoff with jitter, doubling up to 60 s"). The
// ceiling starts at `initial` and doubles with each consecutive failure up to `max`; the
// wait is "equal jitter": half the ceiling plus a random part of the other half, so
// pollers spread out but never retry at once. reset() after a success.
//
// The caller passes the random draw (any uniform 64-bit value, e.g. from its
// std::mt19937_64), so tests are deterministic.
//
// Thread affinity: none (pure); the owner serializes calls. Ownership: value; copyable.
#pragma once

#include <chrono>
#include <cstdint>

namespace tern::discovery {

class Backoff {
 public:
  explicit Backoff(std::chrono::milliseconds initial = std::chrono::seconds(1),
                   std::chrono::milliseconds max = std::chrono::seconds(60));

  // The wait before the next try after one more failure; `random_draw` uniform in
  // [0, 2^64). Always in [ceiling/2, ceiling], ceiling = min(max, initial * 2^(failures-1)).
  std::chrono::milliseconds next(uint64_t random_draw);

  // The ceiling the next call to next() will use.
  std::chrono::milliseconds ceiling() const;

  void reset() { failures_ = 0; }
  uint32_t failures() const { return failures_; }

 private:
  std::chrono::milliseconds initial_;
  std::chrono::milliseconds max_;
  uint32_t failures_ = 0;
};

}  // namespace tern::discovery
