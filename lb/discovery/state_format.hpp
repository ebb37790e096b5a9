// The content of the state file (admin.state_file): the targets registered through the
// admin API, as JSON, encoded and decoded without any I/O.
//
//   {"version":1,"targets":[{"target_group":"app","id":"10.0.1.5","port":8000},...]}
//
// Decoding is strict: a file that is not exactly this shape (not JSON, another version,
// wrong types, unknown keys, a bad IP literal, a port out of 1..65535, truncated, nested
// deeper than the shape allows) is an error saying what is wrong, never an empty list, so
// that a damaged file cannot silently forget registered targets. Object keys are unique
// by construction of the encoder; a duplicated key in a hand-edited file keeps its last
// value (Boost.JSON's rule).
//
// Thread affinity: none (pure functions). Ownership: values only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tern::discovery {

struct StateTarget {
  std::string group;  // target group name
  std::string ip;     // IP literal as text: "10.0.1.5" or "::1" (canonical form once decoded)
  uint16_t port = 0;  // 1..65535

  bool operator==(const StateTarget&) const = default;
};

// The JSON text of `targets`, in the given order (no trailing newline).
std::string encode_state(const std::vector<StateTarget>& targets);

struct LoadedState {
  std::vector<StateTarget> targets;
  std::string error;  // empty = ok
};

// Decodes a state file's content. `error` describes the problem without naming the file
// (e.g. "targets[2].port: 70000 is out of range; expected 1..65535"); the caller adds it.
// The same target listed twice in one group is kept once.
LoadedState decode_state(std::string_view text);

}  // namespace tern::discovery
