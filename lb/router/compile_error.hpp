// An error found while compiling a listener's rules (an RE2 syntax error, a rewrite that
// names a group the regex lacks, ...), positioned like every other config error so that
// `tern --check` prints FILE:LINE:COL: message.
//
// Thread affinity: none (value). Ownership: value.
#pragma once

#include <string>

#include "config/config.hpp"

namespace tern::router {

struct CompileError {
  config::Mark mark;
  std::string message;
};

}  // namespace tern::router
