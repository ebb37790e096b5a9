// The parse functions of each config section (internal to the config module).
//
// Each takes the Field holding its section and returns the typed value with defaults
// applied; every problem goes to the Context, so a value returned alongside errors is
// never used. Uses of not-yet-supported features are recorded, not judged, here.
// Thread affinity: one loader call at a time. Ownership: values only.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "config/syntax.hpp"
#include "config/yaml_reader.hpp"

namespace tern::config {

// parse_common.cpp
std::optional<std::string> read_checked(Context& ctx, const Field& field,
                                        SyntaxError (*check)(std::string_view));
std::optional<Address> read_bind(Context& ctx, const Field& field);
std::optional<TargetSpec> read_target(Context& ctx, const Field& field);
std::optional<uint16_t> read_port(Context& ctx, const Field& field);

// parse_files.cpp: keys naming files. The token without its trailing newline, the fleet
// key's bytes, the state file's path (its directory exists); each reads the file now.
std::optional<std::string> read_token_file(Context& ctx, const Field& field);
std::optional<std::string> read_fleet_key_file(Context& ctx, const Field& field);
std::optional<std::string> read_state_file(Context& ctx, const Field& field);

// parse_config.cpp
Config parse_config(Context& ctx, const YAML::Node& root);

// parse_listener.cpp
std::vector<Listener> parse_listeners(Context& ctx, const Field& field);

// parse_rule.cpp
std::vector<Rule> parse_rules(Context& ctx, const Field& field);

// parse_conditions.cpp
Conditions parse_conditions(Context& ctx, const Field& field);

// parse_action.cpp
Action parse_action(Context& ctx, const Field& field);

// parse_local_action.cpp: the actions tern answers itself.
RedirectAction parse_redirect(Context& ctx, const Field& field);
FixedResponseAction parse_fixed_response(Context& ctx, const Field& field);

// parse_target_group.cpp
std::vector<TargetGroup> parse_target_groups(Context& ctx, const Field& field);

// parse_health_check.cpp
HealthCheck parse_health_check(Context& ctx, const Field& field);
Stickiness parse_stickiness(Context& ctx, const Field& field);
// parse_outlier_detection.cpp
OutlierDetection parse_outlier_detection(Context& ctx, const Field& field);

// validate.cpp: checks across sections (uniqueness, references, loops); sorts rules.
void validate(Context& ctx, Config& config);

}  // namespace tern::config
