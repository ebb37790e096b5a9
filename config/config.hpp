// Typed configuration: the whole schema of spec/config.md as plain values.
//
// Produced by config::load_file / load_string (loader.hpp), validated, then immutable.
// Thread affinity: none (plain data; built on the control thread, read anywhere after).
// Ownership: a Config is a value; the lb snapshot copies what it needs from it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tern::config {

using Duration = std::chrono::milliseconds;

// 1-based position of a value in its YAML file, kept for messages that come later
// (e.g. a bind failure names the listener's line).
struct Mark {
  int line = 0;
  int column = 0;
};

// HOST:PORT, [IPv6]:PORT or :PORT. `host` is empty for "all interfaces"; IPv6 hosts are
// stored without brackets. `text` is the value as written (used to compare listeners
// across reloads).
struct Address {
  std::string host;
  uint16_t port = 0;
  bool ipv6 = false;
  std::string text;
  Mark mark;
};

struct Limits {
  uint64_t max_request_line = 16 * 1024;               // 414 beyond
  uint64_t max_header_bytes = 64 * 1024;               // 431 beyond
  Duration header_timeout = std::chrono::seconds(60);  // 408 beyond
  uint64_t max_body_bytes = 0;                         // 0 = unlimited; 413 beyond
  uint64_t max_connections = 0;                        // 0 = unlimited
};

enum class Protocol { kHttp, kHttps };
enum class XffMode { kAppend, kPreserve, kRemove };

struct Certificate {
  std::string cert;
  std::string key;
  Mark mark;
};

struct WeightedTargetGroup {
  std::string name;
  int weight = 1;  // 0..999
  Mark mark;
};

struct ForwardAction {
  // One entry for `target_group: x`; several for `target_groups: [...]`.
  std::vector<WeightedTargetGroup> target_groups;
  bool stickiness_enabled = false;
  Duration stickiness_duration = std::chrono::hours(1);
};

struct RedirectAction {
  std::string protocol = "#{protocol}";
  std::string host = "#{host}";
  std::string port = "#{port}";
  std::string path = "/#{path}";
  std::string query = "#{query}";
  int status_code = 301;  // HTTP_301 | HTTP_302
};

struct FixedResponseAction {
  int status_code = 200;  // 2XX, 4XX, 5XX
  std::string content_type = "text/plain";
  std::string message_body;
};

struct Action {
  enum class Type { kForward, kRedirect, kFixedResponse };
  Type type = Type::kForward;
  ForwardAction forward;
  RedirectAction redirect;
  FixedResponseAction fixed_response;
  Mark mark;
};

// A condition's values: wildcard `values` or RE2 `regex_values` (exactly one is set).
struct MatchValues {
  std::vector<std::string> values;
  std::vector<std::string> regex_values;
  Mark mark;
};

struct HeaderCondition {
  std::string name;
  MatchValues match;
};

struct QueryCondition {
  std::optional<std::string> key;
  std::string value;
  Mark mark;
};

struct Conditions {
  std::optional<MatchValues> host_header;
  std::optional<MatchValues> path_pattern;
  std::vector<HeaderCondition> http_header;  // AND-ed
  std::vector<std::string> http_request_method;
  std::vector<QueryCondition> query_string;  // OR-ed
  std::vector<std::string> source_ip;        // CIDRs, OR-ed
  Mark mark;
};

struct Rewrite {
  std::string regex;
  std::string replace;
  Mark mark;
};

struct Transforms {
  std::optional<Rewrite> url_rewrite;
  std::optional<Rewrite> host_header_rewrite;
};

struct Rule {
  int priority = 0;  // 1..50000, unique within a listener
  Conditions conditions;
  Transforms transforms;
  Action action;
  Mark mark;
};

struct Listener {
  std::string name;
  Address bind;
  Protocol protocol = Protocol::kHttp;
  Duration idle_timeout = std::chrono::seconds(60);  // 1..4000 s
  std::vector<Certificate> certificates;
  std::string ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06";
  Limits limits;
  XffMode xff_header_processing = XffMode::kAppend;
  std::vector<Rule> rules;  // sorted by ascending priority after loading
  Action default_action;
  Mark mark;
};

enum class Algorithm { kRoundRobin, kLeastOutstandingRequests, kWeightedRandom };
enum class StickinessType { kLbCookie, kAppCookie };

struct Stickiness {
  bool enabled = false;
  StickinessType type = StickinessType::kLbCookie;
  Duration duration = std::chrono::hours(24);  // 1 s .. 7 d
  std::string cookie_name;                     // app_cookie only
  Mark mark;
};

// One inclusive range of status codes; "200,202" is two ranges of one code each.
struct StatusRange {
  int low = 200;
  int high = 200;
};

struct HealthCheck {
  bool enabled = true;
  std::string path = "/";                        // may carry ?query
  std::optional<uint16_t> port;                  // nullopt = traffic-port
  Duration interval = std::chrono::seconds(30);  // 1..300 s
  Duration timeout = std::chrono::seconds(5);    // 1..120 s, < interval
  int healthy_threshold = 5;                     // 2..10
  int unhealthy_threshold = 2;                   // 2..10
  std::vector<StatusRange> matcher{{200, 200}};
  Mark mark;
};

// Passive health (beyond ALB): a target whose connects fail or that resets requests
// `consecutive_failures` times in a row is ejected for base_ejection_time × (times
// ejected), at most max_ejection_time; at most max_ejection_percent of a group at once.
struct OutlierDetection {
  int consecutive_failures = 5;                            // 0 = off; 1..1000
  Duration base_ejection_time = std::chrono::seconds(30);  // 1 s .. 1 h
  Duration max_ejection_time = std::chrono::seconds(300);  // >= base, .. 1 d
  int max_ejection_percent = 50;                           // 0..100
  Mark mark;
};

struct TargetSpec {
  std::string host;   // IPv4/IPv6 literal or a name resolved at load time
  uint16_t port = 0;  // 0 = the target group's traffic port
  Mark mark;
};

struct EcsService {
  std::string cluster;
  std::string service;
  std::string container_name;
  uint16_t container_port = 0;
  Mark mark;
};

struct TargetGroup {
  std::string name;
  Protocol protocol = Protocol::kHttp;
  std::optional<uint16_t> port;  // traffic port for targets that give none
  Algorithm load_balancing_algorithm = Algorithm::kRoundRobin;
  Duration deregistration_delay = std::chrono::seconds(300);  // 0..3600 s
  Duration slow_start = std::chrono::seconds(0);              // 0 or 30..900 s
  Stickiness stickiness;
  HealthCheck health_check;
  OutlierDetection outlier_detection;
  std::vector<TargetSpec> targets;
  std::optional<EcsService> ecs;
  Mark mark;
};

struct Admin {
  Address bind;  // default 127.0.0.1:9901
  // Path of the bearer token file; empty = mutating calls are not guarded.
  std::string token_file;
  // The token read from token_file at load time (--check, start-up, every reload): the
  // file's content without one trailing newline ("\n" or "\r\n"); never empty when
  // token_file is set.
  std::string token;
  // Where API-registered targets are persisted; empty = memory only. Its parent
  // directory existed at load time.
  std::string state_file;
  Mark mark;
};

enum class AccessLogFormat { kJson, kAlb };

struct AccessLog {
  std::string path = "stdout";  // stdout | off | file path
  AccessLogFormat format = AccessLogFormat::kJson;
  Mark mark;
};

struct EcsDiscovery {
  std::string region;
  Duration poll_interval = std::chrono::seconds(10);
  std::string endpoint;  // default https://ecs.<region>.amazonaws.com
  Mark mark;
};

struct Config {
  std::string file;  // path the config was read from (for messages)
  int workers = 0;   // 0 = auto (usable cores, cgroup-aware)
  Duration shutdown_timeout = std::chrono::seconds(30);
  // Secret shared by every tern of a fleet (stickiness cookies, later TLS session tickets
  // derive their keys from it). Both empty when fleet_key_file is absent: keys are then
  // drawn per process. `fleet_key` holds the file's bytes as they are (at least 32).
  std::string fleet_key_file;
  std::string fleet_key;
  std::optional<Admin> admin;
  std::optional<AccessLog> access_log;
  std::vector<Listener> listeners;
  std::vector<TargetGroup> target_groups;
  std::optional<EcsDiscovery> discovery_ecs;
};

}  // namespace tern::config
