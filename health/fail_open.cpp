#include "health/fail_open.hpp"

namespace tern::health {

bool fail_open(std::span<const State> states) {
  bool any_registered = false;
  for (State state : states) {
    if (routable(state)) return false;
    any_registered = any_registered || registered(state);
  }
  return any_registered;
}

}  // namespace tern::health
