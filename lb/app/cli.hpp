// Command-line parsing (spec: "Command line"): --config/-c FILE, TERN_CONFIG when absent,
// --check, --version, --help.
//
// Thread affinity: none (pure function). Ownership: returns values.
#pragma once

#include <string>

namespace tern::app {

struct CliOptions {
  std::string config_path;
  bool check = false;
  bool version = false;
  bool help = false;
};

struct CliParse {
  CliOptions options;
  std::string error;  // non-empty: a usage error to print (exit 2)
};

// `env_config` is the value of TERN_CONFIG, or nullptr when unset.
CliParse parse_cli(int argc, const char* const* argv, const char* env_config);

const char* usage_text();

}  // namespace tern::app
