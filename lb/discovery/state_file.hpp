// The state file (admin.state_file): where targets registered through the admin API
// survive restarts and crashes. Loading tells a missing file (first start: no targets)
// from a damaged one (an error naming the file and what is wrong). Writing is atomic and
// durable: a temporary file in the same directory is written and fsync'ed, renamed over
// the path, and the directory is fsync'ed, so the path always holds either the old or the
// new complete content; on any failure before the rename the old file is untouched and
// the temporary file removed. The file's mode is 0640 whatever the umask.
//
// Thread affinity: any thread; blocking file I/O, so never a worker thread. Two writers
// of one path must not run at the same time (the last rename would win).
// Ownership: values only; no file descriptor outlives a call.
#pragma once

#include <string>
#include <vector>

#include "lb/discovery/state_format.hpp"

namespace tern::discovery {

// The targets of the state file at `path`: none and no error when the file does not
// exist; an error ("state file PATH: ...") when it cannot be read or is not a valid
// state file (see state_format.hpp).
LoadedState load_state_file(const std::string& path);

// Replaces the state file at `path` with `targets`. Returns "" or the error, naming the
// path and the OS error ("cannot write state file PATH: ...").
std::string write_state_file(const std::string& path, const std::vector<StateTarget>& targets);

}  // namespace tern::discovery
