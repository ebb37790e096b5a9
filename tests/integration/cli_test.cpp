// The command line of spec/config.md: --check, --version, -c, TERN_CONFIG, and a bad
// config at start-up.
#include <regex>

#include "tests/integration/harness.hpp"

namespace tern::test {
namespace {

// Three errors at known places: an unknown key (line 5, column 5), a reference to a
// target group that does not exist (line 6) and a duration that is not one (line 10).
constexpr const char* kBadConfig =
    "workers: 2\n"
    "listeners:\n"
    "  - name: http\n"
    "    bind: 127.0.0.1:0\n"
    "    idle_timout: 5s\n"
    "    default_action: { forward: { target_group: nope } }\n"
    "target_groups:\n"
    "  - name: app\n"
    "    targets: [127.0.0.1:9000]\n"
    "    deregistration_delay: 5 parsecs\n";

TEST(Cli, VersionPrintsSemver) {
  const CommandResult r = run_tern({"--version"});
  EXPECT_EQ(r.exit_code, 0) << r.output();
  EXPECT_TRUE(std::regex_search(r.output(), std::regex(R"(^tern \d+\.\d+\.\d+)"))) << r.output();
}

TEST(Cli, CheckAcceptsValidConfig) {
  TempDir dir;
  const std::string path = dir.write("ok.yaml", simple_config({"127.0.0.1:9000"}));
  const CommandResult r = run_tern({"--check", "--config", path});
  EXPECT_EQ(r.exit_code, 0) << r.output();
  EXPECT_NE(r.output().find(path + ": configuration OK"), std::string::npos) << r.output();
}

TEST(Cli, CheckReportsEveryErrorWithFileLineColumn) {
  TempDir dir;
  const std::string path = dir.write("bad.yaml", kBadConfig);
  const CommandResult r = run_tern({"--check", "--config", path});
  EXPECT_EQ(r.exit_code, 1) << r.output();
  const std::string out = r.output();
  EXPECT_NE(out.find(path + ":5:5: "), std::string::npos) << "unknown key\n" << out;
  EXPECT_NE(out.find(path + ":6:"), std::string::npos) << "unknown target group\n" << out;
  EXPECT_NE(out.find(path + ":10:"), std::string::npos) << "bad duration\n" << out;
  EXPECT_EQ(out.find("configuration OK"), std::string::npos) << out;
}

TEST(Cli, CheckShortFlagAndNotSupportedYetKeys) {
  TempDir dir;
  const std::string path =
      dir.write("later.yaml", "access_log: { path: stdout }\n" + simple_config({"127.0.0.1:9000"}));
  const CommandResult r = run_tern({"--check", "-c", path});
  EXPECT_EQ(r.exit_code, 1) << r.output();
  EXPECT_NE(r.output().find(path + ":1:"), std::string::npos) << r.output();
  EXPECT_NE(r.output().find("not supported yet"), std::string::npos) << r.output();
}

TEST(Cli, BadConfigAtStartExitsOneWithTheErrors) {
  TempDir dir;
  const std::string path = dir.write("bad.yaml", kBadConfig);
  const CommandResult r = run_tern({"--config", path});
  EXPECT_EQ(r.exit_code, 1) << r.output();
  EXPECT_NE(r.output().find(path + ":5:5: "), std::string::npos) << r.output();
  EXPECT_NE(r.output().find(path + ":10:"), std::string::npos) << r.output();
}

TEST(Cli, MissingConfigFileExitsOne) {
  const CommandResult r = run_tern({"--config", "/nonexistent/tern.yaml"});
  EXPECT_EQ(r.exit_code, 1) << r.output();
  EXPECT_NE(r.output().find("/nonexistent/tern.yaml"), std::string::npos) << r.output();
}

TEST(Cli, NoConfigAtAllIsAnError) {
  const CommandResult r = run_tern({});
  EXPECT_NE(r.exit_code, 0) << r.output();
  EXPECT_NE(r.exit_code, -1) << "tern kept running without a config";
}

TEST(Cli, HttpsListenerIsNotSupportedYet) {
  TempDir dir;
  const std::string path =
      dir.write("https.yaml",
                "listeners:\n"
                "  - name: https\n"
                "    bind: 127.0.0.1:0\n"
                "    protocol: HTTPS\n"
                "    certificates: [{ cert: /nonexistent.crt, key: /nonexistent.key }]\n"
                "    default_action: { forward: { target_group: app } }\n"
                "target_groups:\n"
                "  - name: app\n"
                "    targets: [127.0.0.1:9000]\n");
  const CommandResult r = run_tern({"--check", "--config", path});
  EXPECT_EQ(r.exit_code, 1) << r.output();
  EXPECT_NE(r.output().find("not supported yet"), std::string::npos) << r.output();
}

TEST(Cli, BindFailureAtStartExitsOneNamingTheAddress) {
  Backend occupant("occupant");  // a plain listener without SO_REUSEPORT
  TempDir dir;
  ConfigSpec spec;
  ListenerSpec l;
  l.bind = occupant.address();
  spec.listeners = {l};
  TargetGroupSpec g;
  g.targets = {"127.0.0.1:9000"};
  spec.groups = {g};
  const std::string path = dir.write("taken.yaml", to_yaml(spec));
  const CommandResult r = run_tern({"--config", path});
  EXPECT_EQ(r.exit_code, 1) << r.output();
  EXPECT_NE(r.output().find(std::to_string(occupant.port())), std::string::npos) << r.output();
  EXPECT_EQ(occupant.request_count(), 0U);
}

class CliServe : public TernTest {
 protected:
  void serve_with(TernOptions::ConfigArg arg) {
    Backend b("b1");
    TernOptions options;
    options.config_arg = arg;
    ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b.address()}), options));
    const Response r = simple_get(port_, "/");
    EXPECT_EQ(r.status, 200) << r.describe();
    EXPECT_EQ(r.body, "hello from b1\n");
  }
};

TEST_F(CliServe, LongConfigFlag) {
  serve_with(TernOptions::ConfigArg::kLong);
}
TEST_F(CliServe, ShortConfigFlag) {
  serve_with(TernOptions::ConfigArg::kShort);
}
TEST_F(CliServe, ConfigFromTernConfigEnvironment) {
  serve_with(TernOptions::ConfigArg::kEnv);
}

TEST_F(CliServe, WorkersAutoAndIntegerSeconds) {
  Backend b1("b1");
  // An integer duration is seconds (spec "Values"): header_timeout: 1 means 1 s.
  ASSERT_NO_FATAL_FAILURE(start_tern(
      simple_config({b1.address()}, {"limits: { header_timeout: 1 }"}, {"workers: auto"})));
  EXPECT_EQ(simple_get(port_, "/").status, 200);
  Client slow(port_);
  ASSERT_TRUE(slow.send("GET / HTTP/1.1\r\n"));
  const auto start = Clock::now();
  EXPECT_EQ(slow.read_response(with_timeout(Millis(5000))).status, 408);
  EXPECT_GE(seconds_since(start), 0.8);
  EXPECT_LE(seconds_since(start), 4.0);
}

}  // namespace
}  // namespace tern::test
