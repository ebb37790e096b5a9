// The loader end to end: the spec's files, defaults, load_file, whole-file errors.
#include "config/loader.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include "config_test_util.hpp"
#include "tests/unit/common/temp_dir.hpp"

namespace tern::config {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::seconds;
using Strings = std::vector<std::string>;
using testing_util::errors_of;
using testing_util::kFullExample;
using testing_util::kSmallest;
using testing_util::parse_ignoring_support;
using unit_testing::TempDir;

TEST(Loader, SmallestFileOfTheSpecLoadsWithDefaults) {
  LoadResult result = load_string(kSmallest, "small.yaml");
  ASSERT_TRUE(result.errors.empty()) << result.errors.front().to_string();
  ASSERT_TRUE(result.config);
  const Config& c = *result.config;
  EXPECT_EQ(c.file, "small.yaml");
  EXPECT_EQ(c.workers, 0);  // auto
  EXPECT_EQ(c.shutdown_timeout, seconds(30));
  EXPECT_FALSE(c.admin);
  EXPECT_FALSE(c.access_log);
  EXPECT_FALSE(c.discovery_ecs);
  ASSERT_EQ(c.listeners.size(), 1u);
  const Listener& l = c.listeners[0];
  EXPECT_EQ(l.name, "http");
  EXPECT_EQ(l.bind.host, "127.0.0.1");
  EXPECT_EQ(l.bind.port, 8080);
  EXPECT_FALSE(l.bind.ipv6);
  EXPECT_EQ(l.bind.text, "127.0.0.1:8080");
  EXPECT_EQ(l.bind.mark.line, 3);
  EXPECT_EQ(l.bind.mark.column, 11);
  EXPECT_EQ(l.mark.line, 2);
  EXPECT_EQ(l.mark.column, 5);
  EXPECT_EQ(l.protocol, Protocol::kHttp);
  EXPECT_EQ(l.idle_timeout, seconds(60));
  EXPECT_TRUE(l.certificates.empty());
  EXPECT_EQ(l.limits.max_request_line, 16u * 1024);
  EXPECT_EQ(l.limits.max_header_bytes, 64u * 1024);
  EXPECT_EQ(l.limits.header_timeout, seconds(60));
  EXPECT_EQ(l.limits.max_body_bytes, 0u);
  EXPECT_EQ(l.limits.max_connections, 0u);
  EXPECT_EQ(l.xff_header_processing, XffMode::kAppend);
  EXPECT_TRUE(l.rules.empty());
  EXPECT_EQ(l.default_action.type, Action::Type::kForward);
  ASSERT_EQ(l.default_action.forward.target_groups.size(), 1u);
  EXPECT_EQ(l.default_action.forward.target_groups[0].name, "app");
  EXPECT_EQ(l.default_action.forward.target_groups[0].weight, 1);
  ASSERT_EQ(c.target_groups.size(), 1u);
  const TargetGroup& g = c.target_groups[0];
  EXPECT_EQ(g.name, "app");
  EXPECT_EQ(g.protocol, Protocol::kHttp);
  EXPECT_FALSE(g.port);
  EXPECT_EQ(g.load_balancing_algorithm, Algorithm::kRoundRobin);
  EXPECT_EQ(g.deregistration_delay, seconds(300));
  EXPECT_EQ(g.slow_start, seconds(0));
  EXPECT_FALSE(g.ecs);
  ASSERT_EQ(g.targets.size(), 1u);
  EXPECT_EQ(g.targets[0].host, "127.0.0.1");
  EXPECT_EQ(g.targets[0].port, 9000);
  EXPECT_EQ(g.targets[0].mark.line, 7);
}

TEST(Loader, SupportedKeysAreRead) {
  LoadResult result = load_string(R"yaml(workers: 4
shutdown_timeout: 250ms
listeners:
  - name: a
    bind: ":0"
    protocol: HTTP
    idle_timeout: 5m
    limits:
      max_request_line: 8KiB
      max_header_bytes: 1MB
      header_timeout: 1500ms
      max_body_bytes: 1GiB
      max_connections: 1000
    xff_header_processing: remove
    default_action: { forward: { target_groups: [{ name: g, weight: 7 }] } }
  - name: b
    bind: "[::1]:8081"
    default_action: { forward: { target_group: g } }
target_groups:
  - name: g
    protocol: HTTP
    port: 8000
    load_balancing_algorithm: round_robin
    targets:
      - 10.0.1.17
      - 10.0.1.18:9000
      - "[2001:db8::5]:81"
      - 2001:db8::6
      - backend.internal:80
      - { address: 10.0.2.33, port: 8001 }
      - { address: "[2001:db8::7]" }
)yaml",
                                  "t.yaml");
  ASSERT_TRUE(result.errors.empty()) << result.errors.front().to_string();
  const Config& c = *result.config;
  EXPECT_EQ(c.workers, 4);
  EXPECT_EQ(c.shutdown_timeout, milliseconds(250));
  const Listener& a = c.listeners[0];
  EXPECT_EQ(a.bind.host, "");
  EXPECT_EQ(a.bind.port, 0);
  EXPECT_EQ(a.idle_timeout, seconds(300));
  EXPECT_EQ(a.limits.max_request_line, 8u * 1024);
  EXPECT_EQ(a.limits.max_header_bytes, 1000000u);
  EXPECT_EQ(a.limits.header_timeout, milliseconds(1500));
  EXPECT_EQ(a.limits.max_body_bytes, uint64_t{1} << 30);
  EXPECT_EQ(a.limits.max_connections, 1000u);
  EXPECT_EQ(a.xff_header_processing, XffMode::kRemove);
  EXPECT_EQ(a.default_action.forward.target_groups[0].weight, 7);
  const Listener& b = c.listeners[1];
  EXPECT_EQ(b.bind.host, "::1");
  EXPECT_TRUE(b.bind.ipv6);
  EXPECT_EQ(b.bind.port, 8081);
  const TargetGroup& g = c.target_groups[0];
  EXPECT_EQ(g.port, 8000);
  ASSERT_EQ(g.targets.size(), 7u);
  const std::vector<std::pair<std::string, int>> expected{
      {"10.0.1.17", 0},         {"10.0.1.18", 9000}, {"2001:db8::5", 81}, {"2001:db8::6", 0},
      {"backend.internal", 80}, {"10.0.2.33", 8001}, {"2001:db8::7", 0}};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(g.targets[i].host, expected[i].first) << i;
    EXPECT_EQ(g.targets[i].port, expected[i].second) << i;
  }
}

// The full example with its three paths replaced by files in `dir` (each path ends its
// value, so positions of later errors do not move).
std::string full_example_in(const TempDir& dir) {
  std::string yaml(kFullExample);
  const auto replace = [&yaml](const std::string& from, const std::string& to) {
    yaml.replace(yaml.find(from), from.size(), to);
  };
  replace("/etc/tern/admin.token", dir.write("admin.token", "T0ken\n"));
  replace("/etc/tern/fleet.key", dir.write("fleet.key", std::string(48, 'f')));
  replace("/var/lib/tern/targets.json", dir.file("targets.json"));
  return yaml;
}

TEST(Loader, FullExampleOfTheSpecParsesAndNamesWhatIsNotSupportedYet) {
  TempDir dir;
  EXPECT_EQ(errors_of(full_example_in(dir)),
            (Strings{"t.yaml:14:1: access_log is not supported yet",
                     "t.yaml:24:5: certificates is not supported yet",
                     "t.yaml:27:5: ssl_policy is not supported yet",
                     "t.yaml:98:5: ecs is not supported yet",
                     "t.yaml:104:1: discovery is not supported yet"}));
}

TEST(Loader, FullExampleIsReadIntoTypedValues) {
  TempDir dir;
  const Config c = parse_ignoring_support(full_example_in(dir));
  EXPECT_EQ(c.fleet_key_file, dir.file("fleet.key"));
  EXPECT_EQ(c.fleet_key, std::string(48, 'f'));
  ASSERT_TRUE(c.admin);
  EXPECT_EQ(c.admin->bind.text, "127.0.0.1:9901");
  EXPECT_EQ(c.admin->token_file, dir.file("admin.token"));
  EXPECT_EQ(c.admin->token, "T0ken");
  EXPECT_EQ(c.admin->state_file, dir.file("targets.json"));
  ASSERT_TRUE(c.access_log);
  EXPECT_EQ(c.access_log->path, "stdout");
  EXPECT_EQ(c.access_log->format, AccessLogFormat::kJson);
  ASSERT_TRUE(c.discovery_ecs);
  EXPECT_EQ(c.discovery_ecs->region, "us-east-1");
  EXPECT_EQ(c.discovery_ecs->poll_interval, seconds(10));
  EXPECT_EQ(c.discovery_ecs->endpoint, "https://ecs.us-east-1.amazonaws.com");

  ASSERT_EQ(c.listeners.size(), 1u);
  const Listener& l = c.listeners[0];
  ASSERT_EQ(l.certificates.size(), 1u);
  EXPECT_EQ(l.certificates[0].cert, "/etc/tern/tls/example.crt");
  EXPECT_EQ(l.certificates[0].key, "/etc/tern/tls/example.key");
  EXPECT_EQ(l.ssl_policy, "ELBSecurityPolicy-TLS13-1-2-2021-06");
  ASSERT_EQ(l.rules.size(), 3u);

  const Rule& r10 = l.rules[0];
  EXPECT_EQ(r10.priority, 10);
  ASSERT_TRUE(r10.conditions.host_header);
  EXPECT_EQ(r10.conditions.host_header->values, (Strings{"api.example.com", "*.api.example.com"}));
  EXPECT_EQ(r10.conditions.path_pattern->values, (Strings{"/users", "/users/*"}));
  ASSERT_EQ(r10.conditions.http_header.size(), 1u);
  EXPECT_EQ(r10.conditions.http_header[0].name, "X-Canary");
  EXPECT_EQ(r10.conditions.http_header[0].match.values, (Strings{"on"}));
  EXPECT_EQ(r10.conditions.http_request_method, (Strings{"GET", "HEAD"}));
  ASSERT_EQ(r10.conditions.query_string.size(), 2u);
  EXPECT_EQ(r10.conditions.query_string[0].key, "version");
  EXPECT_EQ(r10.conditions.query_string[0].value, "v2");
  EXPECT_FALSE(r10.conditions.query_string[1].key);
  EXPECT_EQ(r10.conditions.query_string[1].value, "beta");
  EXPECT_EQ(r10.conditions.source_ip, (Strings{"10.0.0.0/8", "2001:db8::/32"}));
  ASSERT_TRUE(r10.transforms.url_rewrite);
  EXPECT_EQ(r10.transforms.url_rewrite->regex, "^/users/(.*)$");
  EXPECT_EQ(r10.transforms.url_rewrite->replace, "/$1");
  EXPECT_EQ(r10.transforms.host_header_rewrite->regex, "^(.*)\\.example\\.com$");
  EXPECT_EQ(r10.action.forward.target_groups[0].name, "users");

  const RedirectAction& redirect = l.rules[1].action.redirect;
  EXPECT_EQ(l.rules[1].action.type, Action::Type::kRedirect);
  EXPECT_EQ(redirect.protocol, "#{protocol}");
  EXPECT_EQ(redirect.path, "/new/#{path}");
  EXPECT_EQ(redirect.status_code, 301);

  const FixedResponseAction& fixed = l.rules[2].action.fixed_response;
  EXPECT_EQ(l.rules[2].action.type, Action::Type::kFixedResponse);
  EXPECT_EQ(fixed.status_code, 503);
  EXPECT_EQ(fixed.content_type, "text/plain");
  EXPECT_EQ(fixed.message_body, "back soon");

  ASSERT_EQ(c.target_groups.size(), 3u);
  const TargetGroup& app = c.target_groups[2];
  EXPECT_EQ(app.port, 8000);
  EXPECT_EQ(app.deregistration_delay, seconds(300));
  EXPECT_FALSE(app.stickiness.enabled);
  EXPECT_EQ(app.stickiness.type, StickinessType::kLbCookie);
  EXPECT_EQ(app.stickiness.duration, hours(24));
  const HealthCheck& hc = app.health_check;
  EXPECT_TRUE(hc.enabled);
  EXPECT_EQ(hc.path, "/");
  EXPECT_FALSE(hc.port);
  EXPECT_EQ(hc.interval, seconds(30));
  EXPECT_EQ(hc.timeout, seconds(5));
  EXPECT_EQ(hc.healthy_threshold, 5);
  EXPECT_EQ(hc.unhealthy_threshold, 2);
  ASSERT_EQ(hc.matcher.size(), 1u);
  EXPECT_EQ(hc.matcher[0].low, 200);
  EXPECT_EQ(hc.matcher[0].high, 200);
  ASSERT_EQ(app.targets.size(), 2u);
  EXPECT_EQ(app.targets[1].host, "10.0.2.33");
  EXPECT_EQ(app.targets[1].port, 8000);
  ASSERT_TRUE(app.ecs);
  EXPECT_EQ(app.ecs->cluster, "humangov-cluster");
  EXPECT_EQ(app.ecs->service, "humangov");
  EXPECT_EQ(app.ecs->container_name, "nginx");
  EXPECT_EQ(app.ecs->container_port, 80);
}

TEST(Loader, RulesAreSortedByAscendingPriority) {
  const Config c = parse_ignoring_support(R"yaml(listeners:
  - name: l
    bind: :80
    rules:
      - { priority: 300, conditions: { path_pattern: [/c] }, action: { forward: { target_group: g } } }
      - { priority: 1, conditions: { path_pattern: [/a] }, action: { forward: { target_group: g } } }
      - { priority: 20, conditions: { path_pattern: [/b] }, action: { forward: { target_group: g } } }
    default_action: { forward: { target_group: g } }
target_groups: [{ name: g }]
)yaml");
  ASSERT_EQ(c.listeners.size(), 1u);
  const auto& rules = c.listeners[0].rules;
  ASSERT_EQ(rules.size(), 3u);
  EXPECT_EQ(rules[0].priority, 1);
  EXPECT_EQ(rules[0].conditions.path_pattern->values[0], "/a");
  EXPECT_EQ(rules[1].priority, 20);
  EXPECT_EQ(rules[2].priority, 300);
  EXPECT_EQ(rules[2].mark.line, 5);
}

TEST(Loader, ConditionShapes) {
  const Config c = parse_ignoring_support(R"yaml(listeners:
  - name: l
    bind: :80
    rules:
      - priority: 1
        conditions:
          host_header: { values: [a.example] }
          path_pattern: { regex_values: ["^/v[0-9]+/orders/[0-9]+$"] }
          http_header:
            - { name: X-A, regex_values: ["^on$"] }
            - { name: X-B, values: ["1", "2"] }
          http_request_method: GET
          query_string: { value: beta }
          source_ip: 192.168.0.0/16
        action: { forward: { target_group: g } }
    default_action: { forward: { target_group: g } }
target_groups: [{ name: g }]
)yaml");
  const Conditions& k = c.listeners.at(0).rules.at(0).conditions;
  EXPECT_EQ(k.host_header->values, (Strings{"a.example"}));
  EXPECT_TRUE(k.host_header->regex_values.empty());
  EXPECT_TRUE(k.path_pattern->values.empty());
  EXPECT_EQ(k.path_pattern->regex_values, (Strings{"^/v[0-9]+/orders/[0-9]+$"}));
  ASSERT_EQ(k.http_header.size(), 2u);
  EXPECT_EQ(k.http_header[0].match.regex_values, (Strings{"^on$"}));
  EXPECT_EQ(k.http_header[1].match.values, (Strings{"1", "2"}));
  EXPECT_EQ(k.http_request_method, (Strings{"GET"}));
  ASSERT_EQ(k.query_string.size(), 1u);
  EXPECT_EQ(k.query_string[0].value, "beta");
  EXPECT_EQ(k.source_ip, (Strings{"192.168.0.0/16"}));
}

TEST(Loader, ActionDetails) {
  const Config c = parse_ignoring_support(R"yaml(listeners:
  - name: l
    bind: 0.0.0.0:80
    default_action:
      redirect: { protocol: HTTPS, port: 443, status_code: HTTP_302 }
  - name: m
    bind: 0.0.0.0:81
    default_action:
      forward:
        target_groups: [{ name: g, weight: 0 }, { name: h, weight: 999 }]
        stickiness: { enabled: true, duration: 7d }
  - name: n
    bind: 0.0.0.0:82
    default_action: { fixed_response: { status_code: 404 } }
target_groups:
  - name: g
  - name: h
    stickiness: { enabled: true, type: app_cookie, cookie_name: session, duration: 1s }
    health_check: { port: 8081, matcher: "200-299,302", interval: 10s, timeout: 9s }
)yaml");
  const RedirectAction& redirect = c.listeners.at(0).default_action.redirect;
  EXPECT_EQ(redirect.protocol, "https");
  EXPECT_EQ(redirect.host, "#{host}");
  EXPECT_EQ(redirect.port, "443");
  EXPECT_EQ(redirect.path, "/#{path}");
  EXPECT_EQ(redirect.query, "#{query}");
  EXPECT_EQ(redirect.status_code, 302);
  const ForwardAction& forward = c.listeners.at(1).default_action.forward;
  ASSERT_EQ(forward.target_groups.size(), 2u);
  EXPECT_EQ(forward.target_groups[0].weight, 0);
  EXPECT_EQ(forward.target_groups[1].weight, 999);
  EXPECT_TRUE(forward.stickiness_enabled);
  EXPECT_EQ(forward.stickiness_duration, hours(7 * 24));
  const FixedResponseAction& fixed = c.listeners.at(2).default_action.fixed_response;
  EXPECT_EQ(fixed.status_code, 404);
  EXPECT_EQ(fixed.content_type, "text/plain");
  EXPECT_EQ(fixed.message_body, "");
  const TargetGroup& h = c.target_groups.at(1);
  EXPECT_EQ(h.stickiness.type, StickinessType::kAppCookie);
  EXPECT_EQ(h.stickiness.cookie_name, "session");
  EXPECT_EQ(h.stickiness.duration, seconds(1));
  EXPECT_EQ(h.health_check.port, 8081);
  ASSERT_EQ(h.health_check.matcher.size(), 2u);
  EXPECT_EQ(h.health_check.matcher[0].low, 200);
  EXPECT_EQ(h.health_check.matcher[0].high, 299);
  EXPECT_EQ(h.health_check.matcher[1].low, 302);
  EXPECT_EQ(h.health_check.matcher[1].high, 302);
  EXPECT_EQ(h.health_check.interval, seconds(10));
  EXPECT_EQ(h.health_check.timeout, seconds(9));
}

TEST(Loader, AdminDefaultsAndDiscoveryEndpoint) {
  const Config c = parse_ignoring_support(R"yaml(admin: {}
discovery:
  ecs: { region: eu-west-3, endpoint: "http://127.0.0.1:4566" }
listeners: [{ name: l, bind: ":80", default_action: { forward: { target_group: g } } }]
target_groups: [{ name: g }]
)yaml");
  ASSERT_TRUE(c.admin);
  EXPECT_EQ(c.admin->bind.host, "127.0.0.1");
  EXPECT_EQ(c.admin->bind.port, 9901);
  EXPECT_EQ(c.admin->token_file, "");
  EXPECT_EQ(c.discovery_ecs->endpoint, "http://127.0.0.1:4566");
}

class TempFile {
 public:
  explicit TempFile(const std::string& text) {
    char name[] = "/tmp/tern-config-test-XXXXXX";
    const int fd = mkstemp(name);
    path_ = name;
    if (fd >= 0) close(fd);
    std::ofstream(path_) << text;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(LoadFile, ReadsTheFileAndNamesItInErrors) {
  TempFile good{std::string(kSmallest)};
  LoadResult ok = load_file(good.path());
  ASSERT_TRUE(ok.config);
  EXPECT_EQ(ok.config->file, good.path());

  TempFile bad{"listeners: []\n"};
  LoadResult result = load_file(bad.path());
  EXPECT_FALSE(result.config);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].to_string(),
            bad.path() + ":1:12: listeners: expected at least one listener");
}

TEST(LoadFile, UnreadableFileIsOneErrorWithTheReason) {
  LoadResult missing = load_file("/nonexistent/tern.yaml");
  EXPECT_FALSE(missing.config);
  ASSERT_EQ(missing.errors.size(), 1u);
  EXPECT_EQ(missing.errors[0].line, 0);
  EXPECT_EQ(missing.errors[0].to_string(),
            "/nonexistent/tern.yaml: cannot read: No such file or directory");
  LoadResult directory = load_file("/tmp");
  ASSERT_EQ(directory.errors.size(), 1u);
  EXPECT_EQ(directory.errors[0].to_string(), "/tmp: cannot read: Is a directory");
}

TEST(Loader, WholeFileProblems) {
  EXPECT_EQ(errors_of(""),
            (Strings{"t.yaml:1:1: the file is empty; expected a map with 'listeners' and "
                     "'target_groups'"}));
  EXPECT_EQ(errors_of("# nothing\n"),
            (Strings{"t.yaml:1:1: the file is empty; expected a map with 'listeners' and "
                     "'target_groups'"}));
  EXPECT_EQ(errors_of("- a\n"), (Strings{"t.yaml:1:1: top level: expected a map, got a list"}));
  EXPECT_EQ(errors_of("listeners: [a,\n"),
            (Strings{"t.yaml:2:1: invalid YAML: end of sequence flow not found"}));
  EXPECT_EQ(errors_of("a: 1\n  b: 2\n"), (Strings{"t.yaml:2:4: invalid YAML: illegal map value"}));
  EXPECT_EQ(errors_of("a: *x\n"),
            (Strings{"t.yaml:1:4: invalid YAML: the referenced anchor is not defined"}));
  // yaml-cpp 0.7 loops forever on these in LoadAll (jbeder/yaml-cpp#1040).
  EXPECT_EQ(errors_of(",\nlisteners: []\n"), (Strings{"t.yaml:1:1: invalid YAML: unexpected ','"}));
  EXPECT_EQ(errors_of(",isteners:\n  - name: a\n  bind: :80\n"),
            (Strings{"t.yaml:1:1: invalid YAML: unexpected ','"}));
  EXPECT_EQ(errors_of("- a\n,\n"), (Strings{"t.yaml:2:1: invalid YAML: unexpected ','"}));
  EXPECT_EQ(errors_of("a: 1\n---\n,\n"), (Strings{"t.yaml:3:1: invalid YAML: unexpected ','"}));
  EXPECT_EQ(errors_of(std::string(kSmallest) + "---\nworkers: 1\n"),
            (Strings{"t.yaml:8:1: only one YAML document is allowed per file"}));
}

TEST(ConfigError, Formats) {
  EXPECT_EQ((ConfigError{"f.yaml", 3, 7, "bad"}).to_string(), "f.yaml:3:7: bad");
  EXPECT_EQ((ConfigError{"f.yaml", 0, 0, "cannot read: x"}).to_string(), "f.yaml: cannot read: x");
}

}  // namespace
}  // namespace tern::config
