#include "lb/app/cli.hpp"

#include <string_view>

namespace tern::app {

const char* usage_text() {
  return "usage: tern [--config FILE | -c FILE] [--check]\n"
         "       tern --version\n"
         "  --config, -c FILE  configuration file (default: $TERN_CONFIG)\n"
         "  --check            validate the configuration and exit\n"
         "  --version          print the version and exit\n";
}

CliParse parse_cli(int argc, const char* const* argv, const char* env_config) {
  CliParse out;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--config" || arg == "-c" || arg.starts_with("--config=")) {
      std::string_view name;
      if (arg.starts_with("--config=")) {
        name = arg.substr(9);
      } else if (i + 1 < argc) {
        name = argv[++i];
      }
      // An empty name (`--config "$UNSET"`) is a mistake, never a request for TERN_CONFIG.
      if (name.empty()) {
        out.error = std::string(arg.substr(0, arg.find('='))) + " needs a file name";
        return out;
      }
      out.options.config_path = std::string(name);
    } else if (arg == "--check") {
      out.options.check = true;
    } else if (arg == "--version") {
      out.options.version = true;
    } else if (arg == "--help" || arg == "-h") {
      out.options.help = true;
    } else {
      out.error = "unknown argument: " + std::string(arg);
      return out;
    }
  }
  if (out.options.config_path.empty() && env_config != nullptr && *env_config != '\0') {
    out.options.config_path = env_config;
  }
  if (out.options.config_path.empty() && !out.options.version && !out.options.help) {
    out.error = "no configuration file: use --config FILE or set TERN_CONFIG";
  }
  return out;
}

}  // namespace tern::app
