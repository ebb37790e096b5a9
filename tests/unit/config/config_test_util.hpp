// Helpers for the config tests: load a YAML text and look at its errors or its Config.
//
// Thread affinity: test thread only. Ownership: values only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/loader.hpp"

namespace tern::config::testing_util {

inline constexpr const char* kFile = "t.yaml";

// Every error of `yaml` as "t.yaml:LINE:COL: message", in the loader's order.
inline std::vector<std::string> errors_of(std::string_view yaml) {
  std::vector<std::string> out;
  for (const ConfigError& error : load_string(yaml, kFile).errors) {
    out.push_back(error.to_string());
  }
  return out;
}

// The whole Config of `yaml` even when it uses not-yet-supported features; fails the
// test (and returns a default Config) when there are other errors.
Config parse_ignoring_support(std::string_view yaml);

// The smallest useful file of spec/config.md.
inline constexpr std::string_view kSmallest = R"yaml(listeners:
  - name: http
    bind: 127.0.0.1:8080
    default_action: { forward: { target_group: app } }
target_groups:
  - name: app
    targets: [127.0.0.1:9000]
)yaml";

// The whole file of spec/config.md, verbatim for the keys this version parses. It names
// /etc/tern/admin.token, /etc/tern/fleet.key and /var/lib/tern/targets.json, which tern
// reads or checks at load time: tests put real files in their place.
extern const std::string_view kFullExample;

}  // namespace tern::config::testing_util
