// Errors of each section's values (rules, actions, target groups, top-level sections),
// with exact positions. Keys that are not supported yet are still validated in full, so
// their "not supported yet" error comes together with the errors of their values.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config_test_util.hpp"

namespace tern::config {
namespace {

using Strings = std::vector<std::string>;
using testing_util::errors_of;

struct ErrorCase {
  const char* name;
  std::string yaml;
  Strings expected;
};

class SectionErrorTest : public testing::TestWithParam<ErrorCase> {};

TEST_P(SectionErrorTest, ReportsExactly) {
  EXPECT_EQ(errors_of(GetParam().yaml), GetParam().expected) << GetParam().yaml;
}

std::string case_name(const testing::TestParamInfo<ErrorCase>& info) {
  return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(
    Rules, SectionErrorTest,
    testing::Values(
        ErrorCase{"RuleNeedsCondition",
                  R"yaml(listeners:
  - name: l
    bind: :80
    rules:
      - { priority: 1, conditions: {}, action: { forward: { target_group: g } } }
    default_action: { forward: { target_group: g } }
target_groups: [{ name: g }]
)yaml",
                  {"t.yaml:5:36: conditions: a rule needs at least one condition; expected one or "
                   "more of: host_header, path_pattern, http_header, http_request_method, "
                   "query_string, source_ip"}},
        ErrorCase{"RuleMissingKeys",
                  R"yaml(listeners:
  - name: l
    bind: :80
    rules:
      - { conditions: { path_pattern: [/a] } }
    default_action: { forward: { target_group: g } }
target_groups: [{ name: g }]
)yaml",
                  {"t.yaml:5:9: missing required key 'priority' in rule",
                   "t.yaml:5:9: missing required key 'action' in rule"}},
        ErrorCase{"Priority",
                  R"yaml(listeners:
  - name: l
    bind: :80
    rules:
      - { priority: 50001, conditions: { path_pattern: [/a] }, action: { forward: { target_group: g } } }
    default_action: { forward: { target_group: g } }
target_groups: [{ name: g }]
)yaml",
                  {"t.yaml:5:21: priority: 50001 is out of range; expected 1..50000"}},
        ErrorCase{"ConditionValues",
                  std::string(R"yaml(listeners:
  - name: l
    bind: :80
    rules:
      - priority: 1
        conditions:
          host_header: ["bad host", ")yaml") +
                      std::string(129, 'a') + R"yaml("]
          path_pattern: ["/a b"]
          http_request_method: [get, ""]
          source_ip: [10.0.0.1/8, "::/129", 10.0.0.0, 300.0.0.0/8]
        action: { forward: { target_group: g } }
    default_action: { forward: { target_group: g } }
target_groups: [{ name: g }]
)yaml",
                  {"t.yaml:7:25: host_header: invalid value 'bad host': character ' ' is not "
                   "allowed; expected letters, digits, '-', '_', '.', '*' and '?'",
                   "t.yaml:7:37: host_header: invalid value "
                   "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
                   "..': is longer than 128 characters",
                   "t.yaml:8:26: path_pattern: invalid value '/a b': character ' ' is not allowed; "
                   "expected letters, digits and _ - . $ / ~ \" ' @ : + & * ? % ! ( ) , ; =",
                   "t.yaml:9:33: http_request_method: invalid value 'get': 'get' is not a method; "
                   "expected upper-case letters, '-' and '_'",
                   "t.yaml:9:38: http_request_method: must not be empty",
                   "t.yaml:10:23: source_ip: invalid value '10.0.0.1/8': host bits are set after "
                   "the prefix; expected a CIDR block such as 10.0.0.0/8 or 2001:db8::/32",
                   "t.yaml:10:35: source_ip: invalid value '::/129': prefix length '129' is not in "
                   "0..128; expected a CIDR block such as 10.0.0.0/8 or 2001:db8::/32",
                   "t.yaml:10:45: source_ip: invalid value '10.0.0.0': missing '/PREFIX'; expected "
                   "a CIDR block such as 10.0.0.0/8 or 2001:db8::/32",
                   "t.yaml:10:55: source_ip: invalid value '300.0.0.0/8': '300.0.0.0' is not an IP "
                   "address; expected a CIDR block such as 10.0.0.0/8 or 2001:db8::/32"}},
        ErrorCase{"ConditionMaps",
                  R"yaml(listeners:
  - name: l
    bind: :80
    rules:
      - priority: 1
        conditions:
          host_header: { values: [a], regex_values: [b] }
          path_pattern: { regex_values: [] }
          http_header: { values: [x] }
          query_string: [{ key: "a=b", value: "" }, { key: k }, "x"]
        action: { forward: { target_group: g } }
    default_action: { forward: { target_group: g } }
target_groups: [{ name: g }]
)yaml",
                  {"t.yaml:7:24: host_header: expected exactly one of 'values' and 'regex_values'",
                   "t.yaml:8:41: regex_values: expected at least one value",
                   "t.yaml:9:24: missing required key 'name' in http_header",
                   "t.yaml:10:33: key: invalid value 'a=b': '=' separates key and value and cannot "
                   "be part of a key",
                   "t.yaml:10:47: value: must not be empty",
                   "t.yaml:10:53: missing required key 'value' in query_string",
                   "t.yaml:10:65: query_string: expected a map, got 'x'"}},
        ErrorCase{"HeaderConditions",
                  R"yaml(listeners:
  - name: l
    bind: :80
    rules:
      - priority: 1
        conditions:
          http_header: [{ name: "X Bad", values: ["\x01"] }, { name: X-Ok, regex_values: [""] }, []]
        action: { forward: { target_group: g } }
    default_action: { forward: { target_group: g } }
target_groups: [{ name: g }]
)yaml",
                  {"t.yaml:7:33: name: invalid value 'X Bad': character ' ' is not allowed in a "
                   "header name",
                   "t.yaml:7:51: values: invalid value '\\x01': control characters are not allowed",
                   "t.yaml:7:91: regex_values: must not be empty",
                   "t.yaml:7:98: http_header: expected a map, got a list"}},
        ErrorCase{"Transforms",
                  R"yaml(listeners:
  - name: l
    bind: :80
    rules:
      - priority: 1
        conditions: { path_pattern: [/a] }
        transforms: { url_rewrite: { regex: "" }, host_header_rewrite: x, path_rewrite: {} }
        action: { forward: { target_group: g } }
    default_action: { forward: { target_group: g } }
target_groups: [{ name: g }]
)yaml",
                  {"t.yaml:7:36: missing required key 'replace' in url_rewrite",
                   "t.yaml:7:45: regex: must not be empty",
                   "t.yaml:7:72: host_header_rewrite: expected a map, got 'x'",
                   "t.yaml:7:75: unknown key 'path_rewrite' in transforms; expected one of: "
                   "url_rewrite, host_header_rewrite"}}),
    case_name);

INSTANTIATE_TEST_SUITE_P(
    Actions, SectionErrorTest,
    testing::Values(
        ErrorCase{"ActionShape",
                  R"yaml(listeners:
  - name: l
    bind: :80
    rules:
      - priority: 1
        conditions: { path_pattern: [/a] }
        action: { forward: { target_group: g }, fixed_response: { status_code: 200 } }
      - priority: 2
        conditions: { path_pattern: [/b] }
        action: { authenticate_oidc: {} }
    default_action: { forward: { target_group: g } }
target_groups: [{ name: g }]
)yaml",
                  {"t.yaml:7:17: action: expected exactly one of 'forward', 'redirect' and "
                   "'fixed_response'",
                   "t.yaml:10:17: action: expected exactly one of 'forward', 'redirect' and "
                   "'fixed_response'",
                   "t.yaml:10:19: unknown key 'authenticate_oidc' in action; expected one of: "
                   "forward, redirect, fixed_response"}},
        ErrorCase{
            "Forward",
            R"yaml(listeners:
  - name: l
    bind: :80
    rules:
      - priority: 1
        conditions: { path_pattern: [/a] }
        action: { forward: {} }
      - priority: 2
        conditions: { path_pattern: [/b] }
        action: { forward: { target_groups: [{ name: g, weight: 0 }, { name: g, weight: 0 }] } }
      - priority: 3
        conditions: { path_pattern: [/c] }
        action: { forward: { target_groups: [{ name: g, weight: 1000 }, { weight: 1 }], stickiness: { enabled: maybe, duration: 8d } } }
      - priority: 4
        conditions: { path_pattern: [/d] }
        action: { forward: { target_groups: [{name: a}, {name: b}, {name: c}, {name: d}, {name: e}, {name: f}] } }
    default_action: { forward: { target_group: g } }
target_groups: [{ name: g }]
)yaml",
            {"t.yaml:7:28: forward: expected exactly one of 'target_group' and 'target_groups'",
             "t.yaml:10:45: target_groups: every weight is 0; expected at least one above 0",
             "t.yaml:10:78: target_groups: 'g' is listed twice",
             "t.yaml:13:65: weight: 1000 is out of range; expected 0..999",
             "t.yaml:13:73: missing required key 'name' in target_groups entry",
             "t.yaml:13:112: enabled: invalid value 'maybe'; expected true or false",
             "t.yaml:13:129: duration: 8d is out of range; expected 1s..7d",
             "t.yaml:16:45: target_groups: 6 entries; expected 1..5",
             "t.yaml:16:53: target group 'a' does not exist; expected one of: g",
             "t.yaml:16:64: target group 'b' does not exist; expected one of: g",
             "t.yaml:16:75: target group 'c' does not exist; expected one of: g",
             "t.yaml:16:86: target group 'd' does not exist; expected one of: g",
             "t.yaml:16:97: target group 'e' does not exist; expected one of: g",
             "t.yaml:16:108: target group 'f' does not exist; expected one of: g"}},
        ErrorCase{
            "Redirect",
            R"yaml(listeners:
  - name: l
    bind: :80
    rules:
      - priority: 1
        conditions: { path_pattern: [/a] }
        action:
          redirect:
            protocol: ftp
            host: "#{hots}"
            port: 0
            path: "new"
            query: "?a"
            status_code: 301
    default_action: { forward: { target_group: g } }
target_groups: [{ name: g }]
)yaml",
            {"t.yaml:9:23: protocol: invalid value 'ftp'; expected HTTP, HTTPS or #{protocol}",
             "t.yaml:10:19: host: invalid value '#{hots}': unknown placeholder '#{hots}'; expected "
             "#{protocol}, #{host}, #{port}, #{path} or #{query}",
             "t.yaml:11:19: port: invalid value '0'; expected #{port} or 1..65535",
             "t.yaml:12:19: path: invalid value 'new': must start with '/'",
             "t.yaml:13:20: query: invalid value '?a': give it without the leading '?'",
             "t.yaml:14:26: status_code: invalid value '301'; expected one of: HTTP_301, "
             "HTTP_302"}},
        ErrorCase{"FixedResponse",
                  std::string(R"yaml(listeners:
  - name: l
    bind: :80
    rules:
      - priority: 1
        conditions: { path_pattern: [/a] }
        action: { fixed_response: { status_code: 302, content_type: text/xml, message_body: ")yaml") +
                      std::string(1025, 'x') + R"yaml(" } }
      - priority: 2
        conditions: { path_pattern: [/b] }
        action: { fixed_response: { status_code: 600 } }
      - priority: 3
        conditions: { path_pattern: [/c] }
        action: { fixed_response: { content_type: text/html } }
    default_action: { forward: { target_group: g } }
target_groups: [{ name: g }]
)yaml",
                  {"t.yaml:7:50: status_code: 302 is not allowed; expected 2XX, 4XX or 5XX (use "
                   "redirect for 3XX)",
                   "t.yaml:7:69: content_type: invalid value 'text/xml'; expected one of: "
                   "text/plain, text/css, text/html, application/javascript, application/json",
                   "t.yaml:7:93: message_body: is 1025 bytes long; expected at most 1024",
                   "t.yaml:10:50: status_code: 600 is out of range; expected 200..599",
                   "t.yaml:13:35: missing required key 'status_code' in fixed_response"}}),
    case_name);

INSTANTIATE_TEST_SUITE_P(
    TargetGroups, SectionErrorTest,
    testing::Values(
        ErrorCase{
            "HealthCheck",
            R"yaml(listeners: [{ name: l, bind: ":80", default_action: { forward: { target_group: g } } }]
target_groups:
  - name: g
    health_check:
      enabled: 1
      path: health
      port: traffic
      interval: 301s
      timeout: 0
      healthy_threshold: 1
      unhealthy_threshold: 11
      matcher: "200-199"
)yaml",
            {"t.yaml:5:16: enabled: invalid value '1'; expected true or false",
             "t.yaml:6:13: path: invalid value 'health': must start with '/'",
             "t.yaml:7:13: port: invalid value 'traffic'; expected traffic-port or 1..65535",
             "t.yaml:8:17: interval: 301s is out of range; expected 1s..300s",
             "t.yaml:9:16: timeout: 0 is out of range; expected 1s..120s",
             "t.yaml:10:26: healthy_threshold: 1 is out of range; expected 2..10",
             "t.yaml:11:28: unhealthy_threshold: 11 is out of range; expected 2..10",
             "t.yaml:12:16: matcher: invalid value '200-199': status code 199 is out of range "
             "200..499; expected codes 200..499 as \"200\", \"200,202\" or \"200-299\""}},
        ErrorCase{
            "HealthCheckTimeout",
            R"yaml(listeners: [{ name: l, bind: ":80", default_action: { forward: { target_group: g } } }]
target_groups:
  - name: g
    health_check: { interval: 5s }
)yaml",
            {"t.yaml:4:31: timeout: 5s is not less than interval 5s; expected timeout < interval"}},
        ErrorCase{
            "HealthCheckTimeout2",
            R"yaml(listeners: [{ name: l, bind: ":80", default_action: { forward: { target_group: g } } }]
target_groups:
  - name: g
    health_check: { interval: 10s, timeout: 10s }
)yaml",
            {"t.yaml:4:45: timeout: 10s is not less than interval 10s; expected timeout < "
             "interval"}},
        ErrorCase{
            "Matchers",
            R"yaml(listeners: [{ name: l, bind: ":80", default_action: { forward: { target_group: g } } }]
target_groups:
  - name: g
    health_check: { matcher: "200," }
  - name: h
    health_check: { matcher: "500" }
  - name: i
    health_check: { matcher: "2xx" }
  - name: j
    health_check: { matcher: "199-200" }
)yaml",
            {"t.yaml:4:30: matcher: invalid value '200,': '' is not a status code; expected codes "
             "200..499 as \"200\", \"200,202\" or \"200-299\"",
             "t.yaml:6:30: matcher: invalid value '500': status code 500 is out of range 200..499; "
             "expected codes 200..499 as \"200\", \"200,202\" or \"200-299\"",
             "t.yaml:8:30: matcher: invalid value '2xx': '2xx' is not a status code; expected "
             "codes 200..499 as \"200\", \"200,202\" or \"200-299\"",
             "t.yaml:10:30: matcher: invalid value '199-200': status code 199 is out of range "
             "200..499; expected codes 200..499 as \"200\", \"200,202\" or \"200-299\""}},
        ErrorCase{
            "Stickiness",
            R"yaml(listeners: [{ name: l, bind: ":80", default_action: { forward: { target_group: g } } }]
target_groups:
  - name: g
    stickiness: { type: app_cookie }
  - name: h
    stickiness: { cookie_name: c }
  - name: i
    stickiness: { type: app_cookie, cookie_name: AWSALBAPP-x, duration: 0 }
  - name: j
    stickiness: { type: source_ip, enabled: on }
)yaml",
            {"t.yaml:4:17: stickiness: type app_cookie needs 'cookie_name'",
             "t.yaml:6:19: cookie_name: only used with type: app_cookie",
             "t.yaml:8:50: cookie_name: invalid value 'AWSALBAPP-x': names starting with AWSALB "
             "are reserved for the load balancer's own cookies",
             "t.yaml:8:73: duration: 0 is out of range; expected 1s..7d",
             "t.yaml:10:25: type: invalid value 'source_ip'; expected one of: lb_cookie, "
             "app_cookie",
             "t.yaml:10:45: enabled: invalid value 'on'; expected true or false"}},
        ErrorCase{
            "GroupValues",
            R"yaml(listeners: [{ name: l, bind: ":80", default_action: { forward: { target_group: g } } }]
target_groups:
  - name: g
    protocol: TCP
    port: 65536
    load_balancing_algorithm: random
    deregistration_delay: 3601
    slow_start: 29s
  - name: h
    slow_start: 901s
)yaml",
            {"t.yaml:4:15: protocol: invalid value 'TCP'; expected one of: HTTP, HTTPS",
             "t.yaml:5:11: port: 65536 is out of range; expected 1..65535",
             "t.yaml:6:31: load_balancing_algorithm: invalid value 'random'; expected one of: "
             "round_robin, least_outstanding_requests, weighted_random",
             "t.yaml:7:27: deregistration_delay: 3601 is out of range; expected 0s..3600s",
             "t.yaml:8:17: slow_start: 29s is out of range; expected 0s (off) or 30s..900s",
             "t.yaml:10:17: slow_start: 901s is out of range; expected 0s (off) or 30s..900s"}},
        ErrorCase{
            "OutlierDetection",
            R"yaml(listeners: [{ name: l, bind: ":80", default_action: { forward: { target_group: g } } }]
target_groups:
  - name: g
    outlier_detection: { consecutive_failures: -1, max_ejection_percent: 101, interval: 1s }
  - name: h
    outlier_detection: { base_ejection_time: 60s, max_ejection_time: 30s }
  - name: i
    outlier_detection: { base_ejection_time: 0s }
)yaml",
            {"t.yaml:4:48: consecutive_failures: -1 is out of range; expected 0..1000",
             "t.yaml:4:74: max_ejection_percent: 101 is out of range; expected 0..100",
             "t.yaml:4:79: unknown key 'interval' in outlier_detection; expected one of: "
             "consecutive_failures, base_ejection_time, max_ejection_time, max_ejection_percent",
             "t.yaml:6:70: max_ejection_time: 30s is less than base_ejection_time 1m; expected "
             "max_ejection_time >= base_ejection_time",
             "t.yaml:8:46: base_ejection_time: 0s is out of range; expected 1s..3600s"}},
        ErrorCase{
            "Ecs",
            R"yaml(listeners: [{ name: l, bind: ":80", default_action: { forward: { target_group: g } } }]
target_groups:
  - name: g
    ecs: { cluster: "my cluster", container_port: 0 }
)yaml",
            {"t.yaml:4:5: ecs is not supported yet",
             "t.yaml:4:10: missing required key 'service' in ecs",
             "t.yaml:4:10: missing required key 'container_name' in ecs",
             "t.yaml:4:21: cluster: invalid value 'my cluster': blanks and control characters are "
             "not allowed",
             "t.yaml:4:51: container_port: 0 is out of range; expected 1..65535"}}),
    case_name);

INSTANTIATE_TEST_SUITE_P(
    Sections, SectionErrorTest,
    testing::Values(
        ErrorCase{
            "TopSections",
            R"yaml(admin: { bind: "1.2.3.4", token_file: "", tls: true }
access_log: { path: "", format: text }
discovery: { ecs: { region: US-EAST-1, poll_interval: 0, endpoint: ftp://x } }
shutdown_timeout: 2h
listeners: [{ name: l, bind: ":80", default_action: { forward: { target_group: g } } }]
target_groups: [{ name: g }]
)yaml",
            {"t.yaml:1:16: bind: '1.2.3.4' has no port; expected HOST:PORT, [IPv6]:PORT or :PORT "
             "(port 0 picks any free port)",
             "t.yaml:1:39: token_file: must not be empty",
             "t.yaml:1:43: unknown key 'tls' in admin; expected one of: bind, token_file, "
             "state_file",
             "t.yaml:2:1: access_log is not supported yet", "t.yaml:2:21: path: must not be empty",
             "t.yaml:2:33: format: invalid value 'text'; expected one of: json, alb",
             "t.yaml:3:1: discovery is not supported yet",
             "t.yaml:3:29: region: invalid value 'US-EAST-1': expected an AWS region name such as "
             "us-east-1",
             "t.yaml:3:55: poll_interval: 0 is out of range; expected 1s..3600s",
             "t.yaml:3:68: endpoint: invalid value 'ftp://x': expected an http:// or https:// URL",
             "t.yaml:4:19: shutdown_timeout: 2h is out of range; expected 0s..3600s"}},
        ErrorCase{"DiscoveryNeedsRegion",
                  R"yaml(discovery: { ecs: {}, k8s: {} }
listeners: [{ name: l, bind: ":80", default_action: { forward: { target_group: g } } }]
)yaml",
                  {"t.yaml:1:1: discovery is not supported yet",
                   "t.yaml:1:19: missing required key 'region' in discovery.ecs",
                   "t.yaml:1:23: unknown key 'k8s' in discovery; expected one of: ecs",
                   "t.yaml:2:80: target group 'g' does not exist; expected a target group defined "
                   "in target_groups"}},
        ErrorCase{"Certificates",
                  R"yaml(listeners:
  - name: l
    bind: ":443"
    protocol: HTTPS
    certificates: [{ cert: a.crt }, { key: b.key, chain: c }]
    ssl_policy: TLSv1.3
    default_action: { forward: { target_group: g } }
target_groups: [{ name: g }]
)yaml",
                  {"t.yaml:4:5: protocol: HTTPS is not supported yet",
                   "t.yaml:5:5: certificates is not supported yet",
                   "t.yaml:5:20: missing required key 'key' in certificate",
                   "t.yaml:5:37: missing required key 'cert' in certificate",
                   "t.yaml:5:51: unknown key 'chain' in certificate; expected one of: cert, key",
                   "t.yaml:6:5: ssl_policy is not supported yet",
                   "t.yaml:6:17: ssl_policy: invalid value 'TLSv1.3': unknown policy; expected an "
                   "ALB policy name such as ELBSecurityPolicy-TLS13-1-2-2021-06 (see "
                   "docs/config.md for the list)"}},
        ErrorCase{"CertificatesEmpty",
                  R"yaml(listeners:
  - name: l
    bind: ":443"
    protocol: HTTPS
    certificates: []
    default_action: { forward: { target_group: g } }
target_groups: [{ name: g }]
)yaml",
                  {"t.yaml:4:5: protocol: HTTPS is not supported yet",
                   "t.yaml:5:5: certificates is not supported yet",
                   "t.yaml:5:19: certificates: expected at least one certificate"}}),
    case_name);

}  // namespace
}  // namespace tern::config
