// Pure checks of the small languages inside config values: object names, ALB-style
// wildcard patterns, header names, methods, status-code matchers, redirect placeholders.
//
// Each check returns nullopt when the text is valid, else a description of what is wrong
// and what was expected (without the key name, which the caller adds).
// Thread affinity: none (pure functions). Ownership: values only.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"

namespace tern::config {

using SyntaxError = std::optional<std::string>;

// Listener and target group names: 1..64 of A-Z a-z 0-9 '-' '_' '.' (they appear in
// metric labels and admin URLs).
SyntaxError check_object_name(std::string_view text);

// Wildcard values of conditions (ALB limits: at most 128 characters; '*' and '?').
SyntaxError check_host_pattern(std::string_view text);
SyntaxError check_path_pattern(std::string_view text);
SyntaxError check_header_value_pattern(std::string_view text);
SyntaxError check_query_pattern(std::string_view text, bool is_key);
// RFC 9110 token of at most 40 characters.
SyntaxError check_header_name(std::string_view text);
// Upper-case letters, '-' and '_', at most 40 characters (ALB).
SyntaxError check_method(std::string_view text);

// "200", "200,202", "200-299", "200-299,302": every code within low..high.
std::optional<std::vector<StatusRange>> parse_matcher(std::string_view text, int low, int high,
                                                      std::string& error);

// Every "#{...}" is one of #{protocol} #{host} #{port} #{path} #{query}.
SyntaxError check_placeholders(std::string_view text);

// Health check path: starts with '/', at most 1024 visible characters (may carry ?query).
SyntaxError check_health_path(std::string_view text);

// Cookie name for app_cookie stickiness: an RFC 6265 token, not one of tern's own names.
SyntaxError check_cookie_name(std::string_view text);

// Visible ASCII, no blanks: ECS cluster/service names and ARNs, AWS regions.
SyntaxError check_visible(std::string_view text, size_t max_length);

}  // namespace tern::config
