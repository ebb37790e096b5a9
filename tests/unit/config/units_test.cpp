// Durations and sizes: every accepted spelling, and what is refused.
#include "config/units.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string_view>

namespace tern::config {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

struct DurationCase {
  std::string_view text;
  std::optional<Duration> expected;
};

class DurationTest : public testing::TestWithParam<DurationCase> {};

TEST_P(DurationTest, Parses) {
  EXPECT_EQ(parse_duration(GetParam().text), GetParam().expected) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Valid, DurationTest,
    testing::Values(DurationCase{"0", seconds(0)}, DurationCase{"30", seconds(30)},
                    DurationCase{"250ms", milliseconds(250)}, DurationCase{"30s", seconds(30)},
                    DurationCase{"5m", minutes(5)}, DurationCase{"1h", hours(1)},
                    DurationCase{"1d", hours(24)}, DurationCase{"0ms", milliseconds(0)},
                    DurationCase{"007s", seconds(7)}, DurationCase{"4000", seconds(4000)}));

INSTANTIATE_TEST_SUITE_P(
    Invalid, DurationTest,
    testing::Values(DurationCase{"", std::nullopt}, DurationCase{"s", std::nullopt},
                    DurationCase{"-1", std::nullopt}, DurationCase{"-5s", std::nullopt},
                    DurationCase{"+5s", std::nullopt}, DurationCase{"1.5s", std::nullopt},
                    DurationCase{"30 s", std::nullopt}, DurationCase{" 30s", std::nullopt},
                    DurationCase{"30S", std::nullopt}, DurationCase{"30sec", std::nullopt},
                    DurationCase{"1h30m", std::nullopt}, DurationCase{"30us", std::nullopt},
                    DurationCase{"abc", std::nullopt}, DurationCase{"0x10", std::nullopt},
                    DurationCase{"99999999999999999999", std::nullopt},
                    DurationCase{"9223372036854775807s", std::nullopt},
                    DurationCase{"106751991167301d", std::nullopt}));

struct SizeCase {
  std::string_view text;
  std::optional<uint64_t> expected;
};

class SizeTest : public testing::TestWithParam<SizeCase> {};

TEST_P(SizeTest, Parses) {
  EXPECT_EQ(parse_size(GetParam().text), GetParam().expected) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(Valid, SizeTest,
                         testing::Values(SizeCase{"0", 0}, SizeCase{"123", 123},
                                         SizeCase{"10B", 10}, SizeCase{"64KiB", 64 * 1024},
                                         SizeCase{"1MiB", 1024 * 1024},
                                         SizeCase{"2GiB", uint64_t{2} << 30},
                                         SizeCase{"64KB", 64000}, SizeCase{"1MB", 1000000},
                                         SizeCase{"3GB", 3000000000},
                                         SizeCase{"18446744073709551615", UINT64_MAX},
                                         SizeCase{"17179869183GiB", uint64_t{17179869183} << 30}));

INSTANTIATE_TEST_SUITE_P(
    Invalid, SizeTest,
    testing::Values(SizeCase{"", std::nullopt}, SizeCase{"KiB", std::nullopt},
                    SizeCase{"-1", std::nullopt}, SizeCase{"1.5MiB", std::nullopt},
                    SizeCase{"64 KiB", std::nullopt}, SizeCase{"64k", std::nullopt},
                    SizeCase{"64K", std::nullopt}, SizeCase{"64kib", std::nullopt},
                    SizeCase{"64Ki", std::nullopt}, SizeCase{"1TiB", std::nullopt},
                    SizeCase{"18446744073709551616", std::nullopt},
                    SizeCase{"17179869184GiB", std::nullopt}, SizeCase{"lots", std::nullopt}));

TEST(Units, SyntaxWithoutValueIsRecognised) {
  EXPECT_TRUE(has_duration_syntax("99999999999999999999d"));
  EXPECT_FALSE(has_duration_syntax("5x"));
  EXPECT_FALSE(has_duration_syntax("-5s"));
  EXPECT_TRUE(has_size_syntax("99999999999999999999GiB"));
  EXPECT_FALSE(has_size_syntax("5k"));
}

TEST(Units, FormatsWithTheLargestExactUnit) {
  EXPECT_EQ(format_duration(milliseconds(250)), "250ms");
  EXPECT_EQ(format_duration(seconds(0)), "0s");
  EXPECT_EQ(format_duration(seconds(30)), "30s");
  EXPECT_EQ(format_duration(seconds(90)), "90s");
  EXPECT_EQ(format_duration(seconds(4000)), "4000s");
  EXPECT_EQ(format_duration(minutes(15)), "15m");
  EXPECT_EQ(format_duration(hours(1)), "1h");
  EXPECT_EQ(format_duration(hours(7 * 24)), "7d");
  EXPECT_EQ(format_size(0), "0B");
  EXPECT_EQ(format_size(100), "100B");
  EXPECT_EQ(format_size(64 * 1024), "64KiB");
  EXPECT_EQ(format_size(1024 * 1024), "1MiB");
  EXPECT_EQ(format_size(64000), "64000B");
}

TEST(Units, ParseUnsignedIsPlainDecimal) {
  EXPECT_EQ(parse_unsigned("0"), 0u);
  EXPECT_EQ(parse_unsigned("65535"), 65535u);
  EXPECT_EQ(parse_unsigned(""), std::nullopt);
  EXPECT_EQ(parse_unsigned("+1"), std::nullopt);
  EXPECT_EQ(parse_unsigned("1 "), std::nullopt);
  EXPECT_EQ(parse_unsigned("18446744073709551616"), std::nullopt);
}

}  // namespace
}  // namespace tern::config
