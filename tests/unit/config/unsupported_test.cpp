// The "not supported yet" list: each key of config/support.cpp is refused at its own
// position, after being parsed and validated like any other key.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "config_test_util.hpp"

namespace tern::config {
namespace {

using Strings = std::vector<std::string>;
using testing_util::errors_of;

struct UnsupportedCase {
  const char* name;
  std::string top;       // lines before `listeners:`
  std::string listener;  // lines appended to the listener (indent 4), from line 5 + top
  std::string group;     // lines appended to the target group (indent 4)
  std::string expected;  // the error, without the leading "t.yaml:"
  std::string second{};  // a second error the key implies, if any
};

// Line 1+T: listeners, 2+T..4+T: the listener, then its extra lines, then the group.
std::string file_of(const UnsupportedCase& c) {
  return c.top +
         "listeners:\n"
         "  - name: l\n"
         "    bind: :80\n" +
         c.listener +
         (c.listener.find("default_action") == std::string::npos
              ? "    default_action: { forward: { target_group: g } }\n"
              : "") +
         "target_groups:\n"
         "  - name: g\n"
         "    targets: [10.0.0.1:80]\n" +
         c.group;
}

class UnsupportedTest : public testing::TestWithParam<UnsupportedCase> {};

TEST_P(UnsupportedTest, IsRefusedAtItsKey) {
  Strings expected{"t.yaml:" + GetParam().expected};
  if (!GetParam().second.empty()) expected.push_back("t.yaml:" + GetParam().second);
  EXPECT_EQ(errors_of(file_of(GetParam())), expected) << file_of(GetParam());
}

std::string case_name(const testing::TestParamInfo<UnsupportedCase>& info) {
  return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(
    NotSupportedYet, UnsupportedTest,
    testing::Values(
        UnsupportedCase{"AccessLog", "access_log: { path: off }\n", "", "",
                        "1:1: access_log is not supported yet"},
        UnsupportedCase{"Discovery", "discovery: { ecs: { region: us-east-1 } }\n", "", "",
                        "1:1: discovery is not supported yet"},
        UnsupportedCase{"HttpsListener", "",
                        "    protocol: HTTPS\n    certificates: [{ cert: a.crt, key: a.key }]\n",
                        "", "4:5: protocol: HTTPS is not supported yet",
                        "5:5: certificates is not supported yet"},
        UnsupportedCase{"Certificates", "", "    certificates: [{ cert: a.crt, key: a.key }]\n", "",
                        "4:5: certificates is not supported yet"},
        UnsupportedCase{"SslPolicy", "", "    ssl_policy: ELBSecurityPolicy-TLS13-1-2-2021-06\n",
                        "", "4:5: ssl_policy is not supported yet"},
        UnsupportedCase{"Ecs", "", "",
                        "    ecs: { cluster: c, service: s, container_name: n, container_port: "
                        "80 }\n",
                        "8:5: ecs is not supported yet"},
        UnsupportedCase{"HttpsTargetGroup", "", "", "    protocol: HTTPS\n",
                        "8:5: protocol: HTTPS is not supported yet"}),
    case_name);

TEST(Unsupported, BalancingKeysAreAccepted) {
  EXPECT_EQ(errors_of("listeners: [{ name: l, bind: \":80\", default_action: { forward: { "
                      "target_group: g } } }]\n"
                      "target_groups:\n"
                      "  - name: g\n"
                      "    load_balancing_algorithm: least_outstanding_requests\n"
                      "    slow_start: 30s\n"
                      "    stickiness: { enabled: true, type: app_cookie, cookie_name: SID }\n"
                      "  - name: h\n"
                      "    load_balancing_algorithm: weighted_random\n"
                      "    stickiness: { enabled: true, type: lb_cookie, duration: 1h }\n"),
            Strings{});
}

TEST(Unsupported, SlowStartWithWeightedRandomIsRefused) {
  EXPECT_EQ(errors_of("listeners: [{ name: l, bind: \":80\", default_action: { forward: { "
                      "target_group: g } } }]\n"
                      "target_groups:\n"
                      "  - name: g\n"
                      "    load_balancing_algorithm: weighted_random\n"
                      "    slow_start: 60s\n"),
            Strings{"t.yaml:5:5: slow_start: not available with load_balancing_algorithm: "
                    "weighted_random (as in ALB); use round_robin or least_outstanding_requests, "
                    "or slow_start: 0"});
}

TEST(Unsupported, RoutingKeysAreAccepted) {
  // Rules, transforms, redirect, fixed_response and weighted, sticky forwards work now.
  EXPECT_EQ(errors_of("listeners:\n"
                      "  - name: l\n"
                      "    bind: :80\n"
                      "    rules:\n"
                      "      - priority: 1\n"
                      "        conditions: { path_pattern: [/a] }\n"
                      "        transforms: { url_rewrite: { regex: a, replace: b } }\n"
                      "        action: { forward: { target_groups: [{ name: g, weight: 9 }, "
                      "{ name: h }], stickiness: { enabled: true, duration: 1h } } }\n"
                      "      - priority: 2\n"
                      "        conditions: { path_pattern: [/old/*] }\n"
                      "        action: { redirect: { path: \"/new/#{path}\", status_code: "
                      "HTTP_302 } }\n"
                      "    default_action: { fixed_response: { status_code: 404 } }\n"
                      "target_groups: [{ name: g }, { name: h }]\n"),
            Strings{});
}

TEST(Unsupported, SupportedSpellingsAreAccepted) {
  EXPECT_EQ(errors_of("workers: 2\n"
                      "shutdown_timeout: 5s\n"
                      "listeners:\n"
                      "  - name: l\n"
                      "    bind: :80\n"
                      "    protocol: HTTP\n"
                      "    idle_timeout: 30\n"
                      "    limits: { max_request_line: 4KiB, max_header_bytes: 32KiB, "
                      "header_timeout: 10s, max_body_bytes: 1GiB, max_connections: 100 }\n"
                      "    xff_header_processing: preserve\n"
                      "    default_action: { forward: { target_groups: [{ name: g, weight: 5 }] "
                      "} }\n"
                      "target_groups:\n"
                      "  - name: g\n"
                      "    protocol: HTTP\n"
                      "    port: 8000\n"
                      "    load_balancing_algorithm: round_robin\n"
                      "    targets: [10.0.0.1, { address: 10.0.0.2 }]\n"),
            Strings{});
}

TEST(Unsupported, DeregistrationDelayIsAcceptedOverItsRange) {
  const std::pair<const char*, std::chrono::seconds> cases[] = {{"0", std::chrono::seconds(0)},
                                                                {"30s", std::chrono::seconds(30)},
                                                                {"300", std::chrono::seconds(300)},
                                                                {"1h", std::chrono::seconds(3600)}};
  for (const auto& [text, expected] : cases) {
    const std::string yaml =
        "listeners: [{ name: l, bind: \":80\", default_action: { forward: { target_group: g } "
        "} }]\n"
        "target_groups:\n"
        "  - name: g\n"
        "    deregistration_delay: " +
        std::string(text) + "\n";
    LoadResult loaded = load_string(yaml, "t.yaml");
    EXPECT_TRUE(loaded.errors.empty()) << text << ": " << loaded.errors.front().to_string();
    ASSERT_TRUE(loaded.config) << text;
    EXPECT_EQ(loaded.config->target_groups[0].deregistration_delay, expected) << text;
  }
}

}  // namespace
}  // namespace tern::config
