#include "health/matcher.hpp"

namespace tern::health {

std::string mismatch_description(int status) {
  return "Health checks failed with these codes: [" + std::to_string(status) + "]";
}

}  // namespace tern::health
