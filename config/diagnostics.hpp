// Collects every configuration error of one load, each with its file position.
//
// Errors are gathered rather than thrown so that one run reports all of them; `take`
// returns them in file order. Thread affinity: one loader call at a time.
// Ownership: owns the collected errors until `take` moves them out.
#pragma once

#include <string>
#include <vector>

#include "config/config.hpp"
#include "config/loader.hpp"

namespace tern::config {

class Diagnostics {
 public:
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}

  // An error at a 1-based position (line 0 means "the whole file").
  void error(Mark at, std::string message);

  bool empty() const { return errors_.empty(); }
  size_t count() const { return errors_.size(); }
  const std::string& file() const { return file_; }

  // All errors sorted by line, then column (stable for equal positions).
  std::vector<ConfigError> take();

 private:
  std::string file_;
  std::vector<ConfigError> errors_;
};

}  // namespace tern::config
