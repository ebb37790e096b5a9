// Which targets of a group take new requests, ALB's way: healthy targets, and targets
// whose health checks are disabled (unavailable); when none of those exist among the
// registered targets, the group fails open and uses every registered target (initial and
// unhealthy alike) rather than answering 503. Draining and unused targets never take new
// requests.
//
// Workers call these with the states read from the targets' health words.
//
// Thread affinity: none (pure functions). Ownership: nothing kept.
#pragma once

#include <span>

#include "health/state.hpp"

namespace tern::health {

// Takes new requests in the normal case.
constexpr bool routable(State state) {
  return state == State::kHealthy || state == State::kUnavailable;
}

// Registered (not draining, not unused): a candidate when the group fails open.
constexpr bool registered(State state) {
  return state != State::kDraining && state != State::kUnused;
}

// True when the group has registered targets and none of them is routable: then every
// registered target is used. False for a group with no registered target at all: there is
// nothing to fail open to (the caller answers 503).
bool fail_open(std::span<const State> states);

// Whether a target in `state` takes new requests, given fail_open() of its group.
constexpr bool usable(State state, bool group_fails_open) {
  return group_fails_open ? registered(state) : routable(state);
}

}  // namespace tern::health
