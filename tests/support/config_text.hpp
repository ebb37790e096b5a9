// Builds tern YAML configs for tests: listeners on 127.0.0.1:0 forwarding to target
// groups of static targets, with raw YAML lines for anything else.
//
// Thread affinity: none (values and pure functions). Ownership: values.
#pragma once

#include <string>
#include <vector>

namespace tern::test {

struct ListenerSpec {
  std::string name = "http";
  std::string bind = "127.0.0.1:0";
  std::string target_group = "app";
  // YAML lines placed under the listener (may contain newlines for nested maps), e.g.
  // "idle_timeout: 1s" or "limits:\n  max_body_bytes: 1000".
  std::vector<std::string> extra;
};

struct TargetGroupSpec {
  std::string name = "app";
  std::vector<std::string> targets;  // "127.0.0.1:PORT"
  std::vector<std::string> extra;
};

struct ConfigSpec {
  std::vector<std::string> top = {"workers: 2"};  // top-level YAML lines
  std::vector<ListenerSpec> listeners;
  std::vector<TargetGroupSpec> groups;
};

std::string to_yaml(const ConfigSpec& spec);

// One listener "http" on 127.0.0.1:0 forwarding to group "app" of `targets`,
// `workers: 2`, plus `listener_extra` lines under the listener.
std::string simple_config(const std::vector<std::string>& targets,
                          const std::vector<std::string>& listener_extra = {},
                          const std::vector<std::string>& top = {"workers: 2"});

}  // namespace tern::test
