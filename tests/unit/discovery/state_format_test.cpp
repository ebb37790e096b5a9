// The state file's JSON: exact encoding, round trips (IPv4 and IPv6), and every way a
// damaged file is refused with a message saying what is wrong (never an empty list).
#include "lb/discovery/state_format.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tern::discovery {
namespace {

using Targets = std::vector<StateTarget>;

const Targets kTargets = {{"app", "10.0.1.5", 8000},
                          {"app", "2001:db8::7", 8001},
                          {"api", "::1", 1},
                          {"api", "255.255.255.255", 65535}};

TEST(StateFormat, EncodesTheDocumentedShape) {
  EXPECT_EQ(encode_state({{"app", "10.0.1.5", 8000}}),
            R"({"version":1,"targets":[{"target_group":"app","id":"10.0.1.5","port":8000}]})");
  EXPECT_EQ(encode_state({}), R"({"version":1,"targets":[]})");
}

TEST(StateFormat, RoundTripsIpv4AndIpv6) {
  const LoadedState back = decode_state(encode_state(kTargets));
  EXPECT_EQ(back.error, "");
  EXPECT_EQ(back.targets, kTargets);
}

TEST(StateFormat, EscapesNamesThatNeedIt) {
  const Targets odd = {{"a\"b\\c", "10.0.0.1", 80}};
  EXPECT_EQ(decode_state(encode_state(odd)).targets, odd);
}

TEST(StateFormat, AcceptsWhitespaceAndCanonicalizesAddresses) {
  const LoadedState s = decode_state(
      "{\n  \"targets\": [ { \"port\": 80, \"id\": \"2001:DB8:0:0::0001\", \"target_group\": "
      "\"g\" } ],\n  \"version\": 1\n}\n");
  EXPECT_EQ(s.error, "");
  EXPECT_EQ(s.targets, (Targets{{"g", "2001:db8::1", 80}}));
}

TEST(StateFormat, SameTargetTwiceIsKeptOnce) {
  const LoadedState s =
      decode_state(R"({"version":1,"targets":[{"target_group":"g","id":"10.0.0.1","port":80},)"
                   R"({"target_group":"h","id":"10.0.0.1","port":80},)"
                   R"({"target_group":"g","id":"10.0.0.1","port":80}]})");
  EXPECT_EQ(s.error, "");
  EXPECT_EQ(s.targets, (Targets{{"g", "10.0.0.1", 80}, {"h", "10.0.0.1", 80}}));
}

TEST(StateFormat, EveryTruncationIsAnError) {
  const std::string whole = encode_state(kTargets);
  for (size_t n = 0; n < whole.size(); ++n) {
    const LoadedState s = decode_state(whole.substr(0, n));
    EXPECT_NE(s.error, "") << n;
    EXPECT_TRUE(s.targets.empty()) << n;
  }
}

struct Corrupt {
  const char* name;
  std::string text;
  std::string error;
};

class CorruptState : public testing::TestWithParam<Corrupt> {};

TEST_P(CorruptState, IsRefusedWithWhatIsWrong) {
  const LoadedState s = decode_state(GetParam().text);
  EXPECT_EQ(s.error, GetParam().error) << GetParam().text;
  EXPECT_TRUE(s.targets.empty());
}

std::string case_name(const testing::TestParamInfo<Corrupt>& info) {
  return info.param.name;
}

// One target with `field` replaced (the rest valid).
std::string one(const std::string& group, const std::string& id, const std::string& port) {
  return R"({"version":1,"targets":[{"target_group":)" + group + R"(,"id":)" + id + R"(,"port":)" +
         port + "}]}";
}

INSTANTIATE_TEST_SUITE_P(
    Document, CorruptState,
    testing::Values(
        Corrupt{"Empty", "", "empty; expected a JSON object (truncated?)"},
        Corrupt{"Blank", " \n", "truncated: the JSON ends after 2 bytes"},
        Corrupt{"NotJson", "targets: []", "not valid JSON at offset 0: syntax error"},
        Corrupt{"TrailingGarbage", R"({"version":1,"targets":[]} x)",
                "not valid JSON at offset 27: extra data"},
        Corrupt{"TwoDocuments", R"({"version":1,"targets":[]}{"version":1,"targets":[]})",
                "not valid JSON at offset 26: extra data"},
        Corrupt{"Comment", "// tern\n{\"version\":1,\"targets\":[]}",
                "not valid JSON at offset 0: syntax error"},
        Corrupt{"TrailingComma", R"({"version":1,"targets":[],})",
                "not valid JSON at offset 26: syntax error"},
        Corrupt{"InvalidUtf8", "{\"version\":1,\"targets\":[{\"target_group\":\"\xff\"}]}",
                "not valid JSON at offset 41: syntax error"},
        Corrupt{"TooDeep", one(R"(["app"])", R"("10.0.0.1")", "80"),
                "not valid JSON at offset 40: too deep"},
        Corrupt{"VeryDeep", std::string(100000, '[') + std::string(100000, ']'),
                "not valid JSON at offset 3: too deep"},
        Corrupt{"Array", "[]", "expected a JSON object with version and targets, got an array"},
        Corrupt{"Null", "null", "expected a JSON object with version and targets, got null"},
        Corrupt{"UnknownTopKey", R"({"version":1,"targets":[],"weights":{}})",
                "unknown key \"weights\"; expected version, targets"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(
    Version, CorruptState,
    testing::Values(
        Corrupt{"Missing", R"({"targets":[]})", "version: missing"},
        Corrupt{"Other", R"({"version":2,"targets":[]})",
                "version: 2 is not supported; expected 1 (written by another version of tern?)"},
        Corrupt{"Zero", R"({"version":0,"targets":[]})",
                "version: 0 is not supported; expected 1 (written by another version of tern?)"},
        Corrupt{"Huge", R"({"version":18446744073709551615,"targets":[]})",
                "version: 18446744073709551615 is not supported; expected 1 (written by another "
                "version of tern?)"},
        Corrupt{"String", R"({"version":"1","targets":[]})",
                "version: expected an integer, got a string"},
        Corrupt{"Fraction", R"({"version":1.0,"targets":[]})",
                "version: expected an integer, got a number with a fraction or exponent"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(
    Targets, CorruptState,
    testing::Values(
        Corrupt{"Missing", R"({"version":1})", "targets: missing"},
        Corrupt{"Object", R"({"version":1,"targets":{}})",
                "targets: expected an array, got an object"},
        Corrupt{"NullList", R"({"version":1,"targets":null})",
                "targets: expected an array, got null"},
        Corrupt{"EntryNotObject", R"({"version":1,"targets":["10.0.0.1:80"]})",
                "targets[0]: expected an object, got a string"},
        Corrupt{"UnknownKey",
                R"({"version":1,"targets":[{"target_group":"g","id":"10.0.0.1","port":80,)"
                R"("weight":2}]})",
                "targets[0]: unknown key \"weight\"; expected target_group, id, port"},
        Corrupt{"AwsSpelling", R"({"version":1,"targets":[{"Id":"10.0.0.1","Port":80}]})",
                "targets[0]: unknown key \"Id\"; expected target_group, id, port"},
        Corrupt{"SecondEntryBad",
                R"({"version":1,"targets":[{"target_group":"g","id":"10.0.0.1","port":80},)"
                R"({"target_group":"g","id":"10.0.0.2"}]})",
                "targets[1].port: missing"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(
    Fields, CorruptState,
    testing::Values(
        Corrupt{"GroupMissing", R"({"version":1,"targets":[{"id":"10.0.0.1","port":80}]})",
                "targets[0].target_group: missing"},
        Corrupt{"GroupEmpty", one(R"("")", R"("10.0.0.1")", "80"),
                "targets[0].target_group: must not be empty"},
        Corrupt{"GroupNumber", one("7", R"("10.0.0.1")", "80"),
                "targets[0].target_group: expected a string, got an integer"},
        Corrupt{"IdMissing", R"({"version":1,"targets":[{"target_group":"g","port":80}]})",
                "targets[0].id: missing"},
        Corrupt{"IdBadIpv4", one(R"("g")", R"("10.0.1.300")", "80"),
                "targets[0].id: \"10.0.1.300\" is not an IPv4 or IPv6 address"},
        Corrupt{"IdHostName", one(R"("g")", R"("app.internal")", "80"),
                "targets[0].id: \"app.internal\" is not an IPv4 or IPv6 address"},
        Corrupt{"IdWithPort", one(R"("g")", R"("10.0.0.1:80")", "80"),
                "targets[0].id: \"10.0.0.1:80\" is not an IPv4 or IPv6 address"},
        Corrupt{"IdBrackets", one(R"("g")", R"("[::1]")", "80"),
                "targets[0].id: \"[::1]\" is not an IPv4 or IPv6 address"},
        Corrupt{"IdZone", one(R"("g")", R"("fe80::1%lo")", "80"),
                "targets[0].id: \"fe80::1%lo\" is not an IPv4 or IPv6 address"},
        Corrupt{"IdEmpty", one(R"("g")", R"("")", "80"), "targets[0].id: must not be empty"},
        Corrupt{"IdNumber", one(R"("g")", "167772161", "80"),
                "targets[0].id: expected a string, got an integer"},
        Corrupt{"PortZero", one(R"("g")", R"("10.0.0.1")", "0"),
                "targets[0].port: 0 is out of range; expected 1..65535"},
        Corrupt{"PortTooLarge", one(R"("g")", R"("10.0.0.1")", "65536"),
                "targets[0].port: 65536 is out of range; expected 1..65535"},
        Corrupt{"PortNegative", one(R"("g")", R"("10.0.0.1")", "-80"),
                "targets[0].port: -80 is out of range; expected 1..65535"},
        Corrupt{"PortHuge", one(R"("g")", R"("10.0.0.1")", "18446744073709551615"),
                "targets[0].port: 18446744073709551615 is out of range; expected 1..65535"},
        Corrupt{"PortString", one(R"("g")", R"("10.0.0.1")", R"("80")"),
                "targets[0].port: expected an integer, got a string"},
        Corrupt{"PortFraction", one(R"("g")", R"("10.0.0.1")", "80.5"),
                "targets[0].port: expected an integer, got a number with a fraction or "
                "exponent"},
        Corrupt{"PortBool", one(R"("g")", R"("10.0.0.1")", "true"),
                "targets[0].port: expected an integer, got a boolean"}),
    case_name);

}  // namespace
}  // namespace tern::discovery
