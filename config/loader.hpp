// Loads a tern YAML file into a validated Config, or reports every error at once.
//
// Thread affinity: none (a function of its input plus the files it reads: the config,
// and the token and fleet key files it names, read afresh on every load).
// Ownership: returns values; keeps nothing.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"

namespace tern::config {

struct ConfigError {
  std::string file;
  int line = 0;    // 1-based; 0 when the error is about the whole file (e.g. unreadable)
  int column = 0;  // 1-based
  std::string message;

  // "FILE:LINE:COL: message" (or "FILE: message" when line is 0).
  std::string to_string() const;
};

struct LoadResult {
  std::optional<Config> config;     // set only when errors is empty
  std::vector<ConfigError> errors;  // in file order
};

// Parses and validates the whole schema. Keys whose behaviour is not implemented yet are
// accepted by the parser but reported as "<key> is not supported yet" errors.
LoadResult load_file(const std::string& path);
LoadResult load_string(std::string_view yaml, const std::string& file_name);

}  // namespace tern::config
