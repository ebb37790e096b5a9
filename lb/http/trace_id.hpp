// X-Amzn-Trace-Id handling as ALB does it: a valid incoming id is kept, anything else is
// replaced by a new "Root=1-<8 hex epoch seconds>-<24 hex random>".
//
// Thread affinity: TraceIdGenerator belongs to one worker (its own PRNG state).
#pragma once

#include <cstdint>
#include <ctime>
#include <string_view>

namespace tern::http {

// True when `value` is a list of `Key=Value` fields separated by ';' containing a
// well-formed Root (1-XXXXXXXX-XXXXXXXXXXXXXXXXXXXXXXXX, lowercase or uppercase hex).
bool is_valid_trace_id(std::string_view value);

class TraceIdGenerator {
 public:
  explicit TraceIdGenerator(uint64_t seed);

  // Writes "Root=1-xxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx" (40 chars) into out.
  std::string_view next(std::time_t now, char (&out)[41]);

 private:
  uint64_t next_random();
  uint64_t state_;
};

}  // namespace tern::http
