// Every class of error, with its exact FILE:LINE:COL and message; several at once.
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

// A valid file with `listener_extra` appended to its only listener and `group_extra`
// to its only target group (both indented by 4). Lines 1-4 are the listener, 5-7 the group.
std::string file_with(const std::string& listener_extra, const std::string& group_extra = "") {
  return "listeners:\n"
         "  - name: l\n"
         "    bind: :80\n"
         "    default_action: { forward: { target_group: g } }\n" +
         listener_extra +
         "target_groups:\n"
         "  - name: g\n"
         "    targets: [10.0.0.1:80]\n" +
         group_extra;
}

// A target group file head: lines 1-2 are a listener, line 3 the group's name.
const std::string kGroupHead =
    "listeners: [{ name: l, bind: \":80\", default_action: { forward: { target_group: g } } }]\n"
    "target_groups:\n"
    "  - name: g\n";

class ErrorTest : public testing::TestWithParam<ErrorCase> {};

TEST_P(ErrorTest, ReportsExactly) {
  EXPECT_EQ(errors_of(GetParam().yaml), GetParam().expected) << GetParam().yaml;
}

std::string case_name(const testing::TestParamInfo<ErrorCase>& info) {
  return info.param.name;
}

// Mirrors the shape of the base file so that every case checks its own positions.
TEST(ErrorTest, BaseFileIsValid) {
  EXPECT_EQ(errors_of(file_with("")), Strings{});
}

INSTANTIATE_TEST_SUITE_P(
    Structure, ErrorTest,
    testing::Values(
        ErrorCase{"UnknownTopLevelKey",
                  "listners: []\n",
                  {"t.yaml:1:1: unknown key 'listners' at the top level; expected one of: "
                   "workers, shutdown_timeout, fleet_key_file, admin, access_log, listeners, "
                   "target_groups, discovery",
                   "t.yaml:1:1: missing required key 'listeners' at the top level"}},
        ErrorCase{"UnknownListenerKey",
                  file_with("    bnid: 1.2.3.4:80\n"),
                  {"t.yaml:5:5: unknown key 'bnid' in listener; expected one of: name, bind, "
                   "protocol, idle_timeout, certificates, ssl_policy, limits, "
                   "xff_header_processing, rules, default_action"}},
        ErrorCase{"UnknownNestedKey",
                  file_with("    limits: { max_body: 1 }\n"),
                  {"t.yaml:5:15: unknown key 'max_body' in limits; expected one of: "
                   "max_request_line, max_header_bytes, header_timeout, max_body_bytes, "
                   "max_connections"}},
        ErrorCase{"DuplicateKey",
                  file_with("    bind: :81\n"),
                  {"t.yaml:5:5: duplicate key 'bind' in listener (first given at line 3)"}},
        ErrorCase{"MissingRequiredKeys",
                  "listeners:\n  - protocol: HTTP\ntarget_groups:\n  - port: 80\n",
                  {"t.yaml:2:5: missing required key 'name' in listener",
                   "t.yaml:2:5: missing required key 'bind' in listener",
                   "t.yaml:2:5: missing required key 'default_action' in listener",
                   "t.yaml:4:5: missing required key 'name' in target group"}},
        ErrorCase{"EmptyListeners",
                  "listeners: []\n",
                  {"t.yaml:1:12: listeners: expected at least one listener"}},
        ErrorCase{"ListenersNotAList",
                  "listeners: { name: a }\n",
                  {"t.yaml:1:12: listeners: expected a list, got a map"}},
        ErrorCase{"ListenersEmptyValue",
                  "listeners:\n",
                  {"t.yaml:1:1: listeners: expected a list, got nothing"}},
        ErrorCase{"ListenerNotAMap",
                  "listeners: [oops]\n",
                  {"t.yaml:1:13: listeners: expected a map, got 'oops'"}},
        ErrorCase{"ScalarWhereMapExpected",
                  file_with("    limits: 5\n"),
                  {"t.yaml:5:13: limits: expected a map, got '5'"}},
        ErrorCase{"MapWhereScalarExpected",
                  file_with("    idle_timeout: { s: 1 }\n"),
                  {"t.yaml:5:19: idle_timeout: expected a duration, got a map"}},
        ErrorCase{"NullWhereScalarExpected",
                  file_with("    idle_timeout:\n"),
                  {"t.yaml:5:5: idle_timeout: expected a duration, got nothing"}}),
    case_name);

INSTANTIATE_TEST_SUITE_P(
    Values, ErrorTest,
    testing::Values(
        ErrorCase{"Workers",
                  "workers: 0\n" + file_with(""),
                  {"t.yaml:1:10: workers: 0 is out of range; expected 1..1024"}},
        ErrorCase{"WorkersWord",
                  "workers: all\n" + file_with(""),
                  {"t.yaml:1:10: workers: invalid value 'all'; expected auto or an integer "
                   "1..1024"}},
        ErrorCase{"DurationGarbage",
                  file_with("    idle_timeout: 1min\n"),
                  {"t.yaml:5:19: idle_timeout: invalid duration '1min'; expected an integer "
                   "number of seconds or a number with a unit ms, s, m, h or d (e.g. 250ms, "
                   "30s)"}},
        ErrorCase{"DurationNegative",
                  file_with("    idle_timeout: -5\n"),
                  {"t.yaml:5:19: idle_timeout: invalid duration '-5'; expected 1s..4000s"}},
        ErrorCase{"DurationRange",
                  file_with("    idle_timeout: 4001\n"),
                  {"t.yaml:5:19: idle_timeout: 4001 is out of range; expected 1s..4000s"}},
        ErrorCase{"DurationBelowRange",
                  file_with("    idle_timeout: 999ms\n"),
                  {"t.yaml:5:19: idle_timeout: 999ms is out of range; expected 1s..4000s"}},
        ErrorCase{"DurationOverflow",
                  file_with("    idle_timeout: 99999999999999999999d\n"),
                  {"t.yaml:5:19: idle_timeout: 99999999999999999999d is out of range; expected "
                   "1s..4000s"}},
        ErrorCase{"SizeGarbage",
                  file_with("    limits: { max_header_bytes: 64k }\n"),
                  {"t.yaml:5:33: max_header_bytes: invalid size '64k'; expected an integer "
                   "number of bytes or a number with a unit B, KiB, MiB, GiB, KB, MB or GB "
                   "(e.g. 64KiB)"}},
        ErrorCase{"SizeNegative",
                  file_with("    limits: { max_body_bytes: -1 }\n"),
                  {"t.yaml:5:31: max_body_bytes: invalid size '-1'; expected at least 0B"}},
        ErrorCase{"SizeRange",
                  file_with("    limits: { max_request_line: 2MiB }\n"),
                  {"t.yaml:5:33: max_request_line: 2MiB is out of range; expected 256B..1MiB"}},
        ErrorCase{"SizeOverflow",
                  file_with("    limits: { max_body_bytes: 99999999999GiB }\n"),
                  {"t.yaml:5:31: max_body_bytes: 99999999999GiB is out of range; expected "
                   "at least 0B"}},
        ErrorCase{"Integer",
                  file_with("    limits: { max_connections: 1e3 }\n"),
                  {"t.yaml:5:32: max_connections: invalid integer '1e3'; expected an integer "
                   "0..10000000"}},
        ErrorCase{"IntegerRange",
                  file_with("    limits: { max_connections: -1 }\n"),
                  {"t.yaml:5:32: max_connections: -1 is out of range; expected 0..10000000"}},
        ErrorCase{"Enum",
                  file_with("    xff_header_processing: drop\n"),
                  {"t.yaml:5:28: xff_header_processing: invalid value 'drop'; expected one of: "
                   "append, preserve, remove"}},
        ErrorCase{"EnumIsCaseSensitive",
                  file_with("    protocol: http\n"),
                  {"t.yaml:5:15: protocol: invalid value 'http'; expected one of: HTTP, HTTPS"}},
        ErrorCase{"ListenerName",
                  "listeners:\n  - name: my listener\n    bind: :80\n"
                  "    default_action: { forward: { target_group: g } }\n"
                  "target_groups: [{ name: g }]\n",
                  {"t.yaml:2:11: name: invalid value 'my listener': character ' ' is not "
                   "allowed; expected letters, digits, '-', '_' and '.'"}},
        ErrorCase{"EmptyName",
                  "listeners:\n  - name: ''\n    bind: :80\n"
                  "    default_action: { forward: { target_group: g } }\n"
                  "target_groups: [{ name: g }]\n",
                  {"t.yaml:2:11: name: must not be empty"}},
        ErrorCase{"Bool",
                  "admin: {}\n" + file_with("", "    health_check: { enabled: yes }\n"),
                  {"t.yaml:9:30: enabled: invalid value 'yes'; expected true or false"}}),
    case_name);

INSTANTIATE_TEST_SUITE_P(
    Addresses, ErrorTest,
    testing::Values(
        ErrorCase{"BindWithoutPort",
                  "listeners:\n  - name: l\n    bind: 127.0.0.1\n"
                  "    default_action: { forward: { target_group: g } }\n"
                  "target_groups: [{ name: g }]\n",
                  {"t.yaml:3:11: bind: '127.0.0.1' has no port; expected HOST:PORT, "
                   "[IPv6]:PORT or :PORT (port 0 picks any free port)"}},
        ErrorCase{"BindHostName",
                  "listeners:\n  - name: l\n    bind: localhost:80\n"
                  "    default_action: { forward: { target_group: g } }\n"
                  "target_groups: [{ name: g }]\n",
                  {"t.yaml:3:11: bind: 'localhost' is not an IP address; expected an IP "
                   "address such as 0.0.0.0, 127.0.0.1 or [::1], or :PORT for all interfaces"}},
        ErrorCase{"BindPortRange",
                  "listeners:\n  - name: l\n    bind: \"[::1]:65536\"\n"
                  "    default_action: { forward: { target_group: g } }\n"
                  "target_groups: [{ name: g }]\n",
                  {"t.yaml:3:11: bind: invalid address '[::1]:65536': port 65536 is out of "
                   "range; expected HOST:PORT, [IPv6]:PORT or :PORT"}},
        ErrorCase{"BindIpv6WithoutBrackets",
                  "listeners:\n  - name: l\n    bind: ::1:80\n"
                  "    default_action: { forward: { target_group: g } }\n"
                  "target_groups: [{ name: g }]\n",
                  {"t.yaml:3:11: bind: '::1:80' has no port; an IPv6 address with a port needs "
                   "brackets; expected HOST:PORT, [IPv6]:PORT or :PORT (port 0 picks any free "
                   "port)"}},
        ErrorCase{"BindBadIpv6",
                  "listeners:\n  - name: l\n    bind: \"[fe80::zz]:80\"\n"
                  "    default_action: { forward: { target_group: g } }\n"
                  "target_groups: [{ name: g }]\n",
                  {"t.yaml:3:11: bind: invalid address '[fe80::zz]:80': 'fe80::zz' is not an "
                   "IPv6 address; expected HOST:PORT, [IPv6]:PORT or :PORT"}},
        ErrorCase{"TargetWithoutAnyPort",
                  "listeners: [{ name: l, bind: \":80\", default_action: { forward: { "
                  "target_group: g } } }]\ntarget_groups:\n  - name: g\n    targets: [10.0.0.1, "
                  "\"10.0.0.2:80\"]\n",
                  {"t.yaml:4:15: targets: '10.0.0.1' has no port and the target group sets no "
                   "'port'; expected HOST:PORT or a 'port' on the target group"}},
        ErrorCase{"TargetShapes",
                  kGroupHead + "    port: 80\n    targets:\n      - bad_host:1\n      - \":80\"\n"
                               "      - 10.0.0.1:0\n      - { address: \"10.0.0.3:80\" }\n"
                               "      - { address: h.example, port: 70000 }\n      - { port: 1 }\n"
                               "      - [10.0.0.1]\n      - \"2001:db8::1:80\"\n",
                  {"t.yaml:6:9: targets: 'bad_host' is neither an IP address nor a host name; "
                   "expected IP:PORT, [IPv6]:PORT, HOST:PORT or a host alone",
                   "t.yaml:7:9: targets: ':80' has no host; expected IP:PORT, [IPv6]:PORT, "
                   "HOST:PORT or a host alone",
                   "t.yaml:8:9: targets: port 0 is out of range; expected 1..65535",
                   "t.yaml:9:20: address: must not carry a port; expected the port in 'port'",
                   "t.yaml:10:37: port: 70000 is out of range; expected 1..65535",
                   "t.yaml:11:9: missing required key 'address' in target",
                   "t.yaml:12:9: targets: expected a non-empty string, got a list"}},
        ErrorCase{"DuplicateTargets",
                  kGroupHead +
                      "    port: 80\n    targets: [10.0.0.1, \"10.0.0.1:80\", "
                      "{ address: 10.0.0.1 }, \"[::1]:80\", { address: \"::1\", port: 80 }]\n",
                  {"t.yaml:5:25: targets: 10.0.0.1:80 is listed twice (first at line 5, column 15)",
                   "t.yaml:5:40: targets: 10.0.0.1:80 is listed twice (first at line 5, column 15)",
                   "t.yaml:5:75: targets: ::1:80 is listed twice (first at line 5, column 63)"}},
        ErrorCase{"InvalidGroupPortDoesNotCascade",
                  kGroupHead + "    port: 0\n    targets: [10.0.0.1]\n",
                  {"t.yaml:4:11: port: 0 is out of range; expected 1..65535"}},
        ErrorCase{
            "BindsOverlap",
            "listeners:\n"
            "  - { name: a, bind: \"127.0.0.1:80\", default_action: { forward: { target_group: g } "
            "} }\n"
            "  - { name: b, bind: \":80\", default_action: { forward: { target_group: g } } }\n"
            "  - { name: c, bind: \"0.0.0.0:80\", default_action: { forward: { target_group: g } } "
            "}\n"
            "  - { name: d, bind: \"[::]:81\", default_action: { forward: { target_group: g } } }\n"
            "  - { name: e, bind: \"[::1]:81\", default_action: { forward: { target_group: g } } "
            "}\n"
            "  - { name: f, bind: \"[::1]:82\", default_action: { forward: { target_group: g } } "
            "}\n"
            "  - { name: h, bind: \"0.0.0.0:82\", default_action: { forward: { target_group: g } } "
            "}\n"
            "  - { name: i, bind: \"127.0.0.1:0\", default_action: { forward: { target_group: g } "
            "} }\n"
            "  - { name: j, bind: \"127.0.0.1:0\", default_action: { forward: { target_group: g } "
            "} }\n"
            "target_groups: [{ name: g }]\n",
            {"t.yaml:3:22: bind: :80 overlaps 127.0.0.1:80 of listener 'a' at line 2; "
             "expected distinct addresses",
             "t.yaml:4:22: bind: 0.0.0.0:80 overlaps 127.0.0.1:80 of listener 'a' at line 2; "
             "expected distinct addresses",
             "t.yaml:4:22: bind: 0.0.0.0:80 overlaps :80 of listener 'b' at line 3; "
             "expected distinct addresses",
             "t.yaml:6:22: bind: [::1]:81 overlaps [::]:81 of listener 'd' at line 5; "
             "expected distinct addresses"}},
        ErrorCase{"BindOverlapsAdmin",
                  "admin: { bind: \"127.0.0.1:9901\" }\n"
                  "listeners: [{ name: a, bind: \":9901\", default_action: { forward: { "
                  "target_group: g } } }]\n"
                  "target_groups: [{ name: g }]\n",
                  {"t.yaml:2:30: bind: :9901 overlaps 127.0.0.1:9901 of admin at line 1; "
                   "expected distinct addresses"}}),
    case_name);

INSTANTIATE_TEST_SUITE_P(
    CrossChecks, ErrorTest,
    testing::Values(
        ErrorCase{
            "DuplicateNames",
            "listeners:\n"
            "  - { name: a, bind: \":80\", default_action: { forward: { target_group: g } } }\n"
            "  - { name: a, bind: \":81\", default_action: { forward: { target_group: g } } }\n"
            "target_groups: [{ name: g }, { name: h }, { name: g }]\n",
            {"t.yaml:3:5: listener name 'a' is already used at line 2; expected unique names",
             "t.yaml:4:43: target group name 'g' is already used at line 4; expected unique "
             "names"}},
        ErrorCase{"UnknownTargetGroup",
                  "listeners: [{ name: a, bind: \":80\", default_action: { forward: { "
                  "target_group: x } } }]\n"
                  "target_groups: [{ name: g }, { name: h }]\n",
                  {"t.yaml:1:80: target group 'x' does not exist; expected one of: g, h"}},
        ErrorCase{"NoTargetGroups",
                  "listeners: [{ name: a, bind: \":80\", default_action: { forward: { "
                  "target_group: x } } }]\n",
                  {"t.yaml:1:80: target group 'x' does not exist; expected a target group "
                   "defined in target_groups"}},
        ErrorCase{"DuplicatePriority",
                  "listeners:\n  - name: a\n    bind: :80\n    rules:\n"
                  "      - { priority: 5, conditions: { path_pattern: [/a] }, action: { forward: { "
                  "target_group: g } } }\n"
                  "      - { priority: 5, conditions: { path_pattern: [/b] }, action: { forward: { "
                  "target_group: y } } }\n"
                  "    default_action: { forward: { target_group: g } }\n"
                  "target_groups: [{ name: g }]\n",
                  {"t.yaml:6:9: priority: 5 is already used at line 5; expected unique priorities "
                   "within a listener",
                   "t.yaml:6:95: target group 'y' does not exist; expected one of: g"}},
        ErrorCase{
            "RedirectLoop",
            "listeners:\n"
            "  - { name: a, bind: \":80\", default_action: { redirect: { status_code: "
            "HTTP_301 } } }\n"
            "  - { name: b, bind: \":81\", default_action: { redirect: { protocol: HTTP, "
            "port: 81, query: \"x=1\", status_code: HTTP_302 } } }\n"
            "  - { name: c, bind: \":82\", default_action: { redirect: { protocol: HTTPS, "
            "port: 443, status_code: HTTP_301 } } }\n"
            "  - { name: d, bind: \":83\", default_action: { redirect: { path: "
            "\"/x/#{path}\", status_code: HTTP_301 } } }\n",
            {
                "t.yaml:2:57: redirect: the target is the request's own URL (a redirect loop); "
                "expected a change of protocol, host, port or path",
                "t.yaml:3:57: redirect: the target is the request's own URL (a redirect loop); "
                "expected a change of protocol, host, port or path",
            }},
        ErrorCase{"HttpsNeedsCertificates",
                  "listeners: [{ name: a, bind: \":443\", protocol: HTTPS, default_action: { "
                  "forward: { target_group: g } } }]\n"
                  "target_groups: [{ name: g }]\n",
                  {"t.yaml:1:38: protocol: HTTPS is not supported yet",
                   "t.yaml:1:48: protocol: HTTPS needs 'certificates' with at least one entry"}}),
    case_name);

TEST(Errors, AllAreReportedAtOnceInFileOrder) {
  const std::string yaml =
      "target_groups:\n"
      "  - name: g\n"
      "    targets: [10.0.0.1]\n"
      "listeners:\n"
      "  - name: l\n"
      "    bind: :80\n"
      "    idle_timeout: 0\n"
      "    default_action: { forward: { target_group: nope } }\n"
      "workers: -1\n";
  EXPECT_EQ(errors_of(yaml),
            (Strings{"t.yaml:3:15: targets: '10.0.0.1' has no port and the target group sets no "
                     "'port'; expected HOST:PORT or a 'port' on the target group",
                     "t.yaml:7:19: idle_timeout: 0 is out of range; expected 1s..4000s",
                     "t.yaml:8:48: target group 'nope' does not exist; expected one of: g",
                     "t.yaml:9:10: workers: -1 is out of range; expected 1..1024"}));
}

}  // namespace
}  // namespace tern::config
