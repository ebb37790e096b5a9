#include "lb/app/main.hpp"

#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "config/loader.hpp"
#include "lb/app/cli.hpp"
#include "lb/app/fleet_keys.hpp"
#include "lb/app/server.hpp"
#include "lb/app/snapshot_builder.hpp"
#include "lb/core/log.hpp"

#ifndef TERN_VERSION
#define TERN_VERSION "0.0.0"
#endif

namespace tern::app {

namespace {

int print_errors(const std::vector<config::ConfigError>& errors) {
  for (const auto& e : errors) std::fprintf(stderr, "%s\n", e.to_string().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CliParse cli = parse_cli(argc, argv, std::getenv("TERN_CONFIG"));
  if (!cli.error.empty()) {
    std::fprintf(stderr, "tern: %s\n%s", cli.error.c_str(), usage_text());
    return 2;
  }
  if (cli.options.help) {
    std::fputs(usage_text(), stdout);
    return 0;
  }
  if (cli.options.version) {
    std::printf("tern %s\n", TERN_VERSION);
    return 0;
  }
  const std::string& path = cli.options.config_path;
  config::LoadResult loaded = config::load_file(path);
  if (!loaded.config) return print_errors(loaded.errors);
  if (cli.options.check) {
    std::vector<std::string> errors = check_rules(*loaded.config);
    for (const auto& e : errors) std::fprintf(stderr, "%s\n", e.c_str());
    if (!errors.empty()) return 1;
    std::printf("%s: configuration OK\n", path.c_str());
    return 0;
  }
  // Writes to a closed client must fail with EPIPE, not kill the process.
  ::signal(SIGPIPE, SIG_IGN);
  const config::Config& cfg = *loaded.config;
  int workers = cfg.workers > 0 ? cfg.workers : usable_cores();
  std::string key_error;
  std::optional<FleetKeys> keys = make_fleet_keys(cfg, key_error);
  if (!keys) {
    core::log_error(key_error);
    return 1;
  }
  Server server(path, workers, std::move(*keys));
  if (!server.start(cfg)) return 1;
  return server.run();
}

}  // namespace tern::app
