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
    if (arg == "--config" || arg == "-c") {
      if (i + 1 >= argc) {
        out.error = std::string(arg) + " needs a file name";
        return out;
      }
      out.options.config_path = argv[++i];
    } else if (arg.starts_with("--config=")) {
      out.options.config_path = std::string(arg.substr(9));
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
