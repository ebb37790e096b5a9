// Bounded waiting on a condition that has no notification of its own (a port that
// opens or closes in another process, a counter in another process).
//
// Thread affinity: none. Ownership: nothing kept.
#pragma once

#include <algorithm>
#include <chrono>
#include <thread>

namespace tern::test {

// Evaluates `condition` until it holds or `timeout` passes; returns its last value. The
// pause between evaluations grows from 1 ms to 50 ms: this is polling a condition with a
// deadline, not a sleep that stands in for synchronization.
template <typename Condition>
bool eventually(Condition&& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto pause = std::chrono::milliseconds(1);
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return condition();
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
}

}  // namespace tern::test
