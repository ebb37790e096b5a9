// Command line (spec: "Command line"): --config/-c/--config=, TERN_CONFIG when --config is
// absent, --check, --version, --help, and the usage errors.
#include "lb/app/cli.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace tern::app {
namespace {

CliParse parse(std::vector<const char*> args, const char* env = nullptr) {
  args.insert(args.begin(), "tern");
  return parse_cli(static_cast<int>(args.size()), args.data(), env);
}

struct CliCase {
  const char* name;
  std::vector<const char*> args;
  const char* env;
  // Expected outcome: either an error containing `error`, or these options.
  std::string error;
  std::string config;
  bool check = false;
  bool version = false;
  bool help = false;
};

void PrintTo(const CliCase& c, std::ostream* os) {
  *os << c.name;
}

CliCase fails(const char* name, std::vector<const char*> args, const char* env, std::string error) {
  CliCase c{name, std::move(args), env, std::move(error), "", false, false, false};
  return c;
}

class CliTest : public ::testing::TestWithParam<CliCase> {};

TEST_P(CliTest, Parses) {
  const CliCase& c = GetParam();
  CliParse p = parse(c.args, c.env);
  if (!c.error.empty()) {
    EXPECT_NE(p.error.find(c.error), std::string::npos) << "error: [" << p.error << "]";
    return;
  }
  EXPECT_EQ(p.error, "");
  EXPECT_EQ(p.options.config_path, c.config);
  EXPECT_EQ(p.options.check, c.check);
  EXPECT_EQ(p.options.version, c.version);
  EXPECT_EQ(p.options.help, c.help);
}

INSTANTIATE_TEST_SUITE_P(
    Valid, CliTest,
    ::testing::Values(
        CliCase{
            "LongForm", {"--config", "/etc/tern/tern.yaml"}, nullptr, "", "/etc/tern/tern.yaml"},
        CliCase{"ShortForm", {"-c", "t.yaml"}, nullptr, "", "t.yaml"},
        CliCase{"EqualsForm", {"--config=t.yaml"}, nullptr, "", "t.yaml"},
        CliCase{"EqualsFormKeepsEquals", {"--config=a=b.yaml"}, nullptr, "", "a=b.yaml"},
        CliCase{"PathWithSpaces", {"-c", "my config.yaml"}, nullptr, "", "my config.yaml"},
        CliCase{"PathLikeAnOption", {"-c", "-weird.yaml"}, nullptr, "", "-weird.yaml"},
        CliCase{"CheckBefore", {"--check", "--config", "t.yaml"}, nullptr, "", "t.yaml", true},
        CliCase{"CheckAfter", {"-c", "t.yaml", "--check"}, nullptr, "", "t.yaml", true},
        CliCase{"CheckTwice", {"--check", "-c", "t.yaml", "--check"}, nullptr, "", "t.yaml", true},
        CliCase{"LastConfigWins", {"-c", "a.yaml", "--config", "b.yaml"}, nullptr, "", "b.yaml"},
        CliCase{"EnvWhenAbsent", {}, "/env/tern.yaml", "", "/env/tern.yaml"},
        CliCase{"EnvWithCheck", {"--check"}, "/env/tern.yaml", "", "/env/tern.yaml", true},
        CliCase{"FlagOverridesEnv", {"-c", "flag.yaml"}, "/env/tern.yaml", "", "flag.yaml"},
        CliCase{"EqualsOverridesEnv", {"--config=flag.yaml"}, "/env/tern.yaml", "", "flag.yaml"},
        CliCase{"Version", {"--version"}, nullptr, "", "", false, true},
        CliCase{
            "VersionWithConfig", {"--version", "-c", "t.yaml"}, nullptr, "", "t.yaml", false, true},
        CliCase{"VersionWithEnv", {"--version"}, "/env/t.yaml", "", "/env/t.yaml", false, true},
        CliCase{"Help", {"--help"}, nullptr, "", "", false, false, true},
        CliCase{"HelpShort", {"-h"}, nullptr, "", "", false, false, true}),
    [](const ::testing::TestParamInfo<CliCase>& i) { return std::string(i.param.name); });

INSTANTIATE_TEST_SUITE_P(
    Errors, CliTest,
    ::testing::Values(
        fails("Nothing", {}, nullptr, "no configuration file"),
        fails("EmptyEnvIsUnset", {}, "", "no configuration file"),
        fails("CheckWithoutConfig", {"--check"}, nullptr, "no configuration file"),
        fails("ConfigWithoutValue", {"--config"}, nullptr, "--config needs a file name"),
        fails("ShortWithoutValue", {"-c"}, nullptr, "-c needs a file name"),
        fails("ConfigWithoutValueAfterCheck", {"--check", "--config"}, "/env/t.yaml",
              "--config needs a file name"),
        // An empty file name is a mistake (an unset shell variable), never "use TERN_CONFIG".
        fails("EqualsEmpty", {"--config="}, nullptr, "--config needs a file name"),
        fails("EqualsEmptyWithEnv", {"--config="}, "/env/t.yaml", "--config needs a file name"),
        fails("EmptyValue", {"--config", ""}, "/env/t.yaml", "--config needs a file name"),
        fails("EmptyShortValue", {"-c", ""}, "/env/t.yaml", "-c needs a file name"),
        fails("Unknown", {"--frobnicate"}, nullptr, "unknown argument: --frobnicate"),
        fails("UnknownAfterValid", {"-c", "t.yaml", "--verbose"}, nullptr,
              "unknown argument: --verbose"),
        fails("Positional", {"t.yaml"}, nullptr, "unknown argument: t.yaml"),
        fails("SingleDashLong", {"-config", "t.yaml"}, nullptr, "unknown argument: -config"),
        fails("ConfigPrefix", {"--configfile", "t.yaml"}, nullptr,
              "unknown argument: --configfile"),
        fails("CaseMatters", {"--Check", "-c", "t.yaml"}, nullptr, "unknown argument: --Check"),
        fails("CheckWithValue", {"--check=yes", "-c", "t.yaml"}, nullptr,
              "unknown argument: --check=yes"),
        fails("ShortEquals", {"-c=t.yaml"}, nullptr, "unknown argument: -c=t.yaml"),
        fails("EmptyArgument", {""}, nullptr, "unknown argument: ")),
    [](const ::testing::TestParamInfo<CliCase>& i) { return std::string(i.param.name); });

TEST(Cli, UsageMentionsEveryOption) {
  std::string_view usage = usage_text();
  for (std::string_view option : {"--config", "-c", "--check", "--version", "TERN_CONFIG"}) {
    EXPECT_NE(usage.find(option), std::string_view::npos) << option;
  }
}

TEST(Cli, ArgvIsNotModified) {
  const char* args[] = {"tern", "-c", "t.yaml", "--check"};
  parse_cli(4, args, nullptr);
  EXPECT_STREQ(args[1], "-c");
  EXPECT_STREQ(args[2], "t.yaml");
}

}  // namespace
}  // namespace tern::app
