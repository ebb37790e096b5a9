// X-Amzn-Trace-Id: which incoming ids are kept (valid, as ALB accepts them), and the ids
// tern generates ("Root=1-<8 hex epoch seconds>-<24 hex random>").
#include "lb/http/trace_id.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace tern::http {
namespace {

struct TraceCase {
  std::string value;
  bool valid;
};

class TraceIdValidityTest : public ::testing::TestWithParam<TraceCase> {};

TEST_P(TraceIdValidityTest, Validates) {
  EXPECT_EQ(is_valid_trace_id(GetParam().value), GetParam().valid) << GetParam().value;
}

const std::string kRoot = "Root=1-5759e988-bd862e3fe1be46a994272793";

INSTANTIATE_TEST_SUITE_P(
    Valid, TraceIdValidityTest,
    ::testing::Values(TraceCase{kRoot, true},
                      TraceCase{"Root=1-5759E988-BD862E3FE1BE46A994272793", true},
                      TraceCase{"Root=1-00000000-000000000000000000000000", true},
                      TraceCase{kRoot + ";Sampled=1", true},
                      TraceCase{"Self=1-67891233-abcdef012345678912345678;" + kRoot, true},
                      TraceCase{"Sampled=0;" + kRoot + ";Parent=53995c3f42cd8ad8", true},
                      TraceCase{kRoot + ";CalledFrom=Foo", true},
                      TraceCase{kRoot + ";Empty=", true}));

INSTANTIATE_TEST_SUITE_P(
    Invalid, TraceIdValidityTest,
    ::testing::Values(
        TraceCase{"", false}, TraceCase{"garbage", false}, TraceCase{"Root=", false},
        TraceCase{"Self=1-5759e988-bd862e3fe1be46a994272793", false},  // no Root
        TraceCase{"root=1-5759e988-bd862e3fe1be46a994272793", false},  // keys are exact
        TraceCase{"Root=2-5759e988-bd862e3fe1be46a994272793", false},  // version 1 only
        TraceCase{"Root=1-5759e98-bd862e3fe1be46a994272793", false},   // 7 hex digits
        TraceCase{"Root=1-5759e9888-bd862e3fe1be46a994272793", false},
        TraceCase{"Root=1-5759e988-bd862e3fe1be46a99427279", false},  // 23 hex digits
        TraceCase{"Root=1-5759e988-bd862e3fe1be46a9942727934", false},
        TraceCase{"Root=1-5759g988-bd862e3fe1be46a994272793", false},  // not hex
        TraceCase{"Root=1_5759e988-bd862e3fe1be46a994272793", false},
        TraceCase{"Root=1-5759e988_bd862e3fe1be46a994272793", false},
        TraceCase{kRoot + ";" + kRoot, false},  // two roots
        TraceCase{kRoot + ";", false},          // empty field
        TraceCase{";" + kRoot, false}, TraceCase{kRoot + ";;Sampled=1", false},
        TraceCase{kRoot + ";Sampled", false},     // field without '='
        TraceCase{kRoot + ";=1", false},          // empty key
        TraceCase{kRoot + ";Sampled=1 ", false},  // whitespace
        TraceCase{" " + kRoot, false}, TraceCase{kRoot + ";A=b c", false},
        TraceCase{kRoot + ";A=b,c", false},  // list separator
        TraceCase{kRoot + ";A=b=c", false}, TraceCase{kRoot + ";A=\x01", false},
        TraceCase{kRoot + ";A=\x7f", false}, TraceCase{kRoot + ";A=\xc3\xa9", false},
        TraceCase{kRoot + ";X=" + std::string(256 - kRoot.size() - 3 + 1, 'x'), false}));

TEST(TraceIdValidity, LengthLimitIs256) {
  std::string at_limit = kRoot + ";X=" + std::string(256 - kRoot.size() - 3, 'x');
  ASSERT_EQ(at_limit.size(), 256u);
  EXPECT_TRUE(is_valid_trace_id(at_limit));
  EXPECT_FALSE(is_valid_trace_id(at_limit + "x"));
}

bool is_lower_hex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

TEST(TraceIdGenerator, Format) {
  TraceIdGenerator gen(1);
  char buf[41];
  std::string_view id = gen.next(0x5759e988, buf);
  ASSERT_EQ(id.size(), 40u);
  EXPECT_EQ(id.data(), buf);
  EXPECT_EQ(buf[40], '\0');
  EXPECT_EQ(id.substr(0, 16), "Root=1-5759e988-");
  EXPECT_TRUE(is_lower_hex(id.substr(16))) << id;
  EXPECT_TRUE(is_valid_trace_id(id)) << id;
}

TEST(TraceIdGenerator, EpochIsEightHexDigits) {
  TraceIdGenerator gen(7);
  char buf[41];
  EXPECT_EQ(gen.next(0, buf).substr(0, 16), "Root=1-00000000-");
  EXPECT_EQ(gen.next(1, buf).substr(0, 16), "Root=1-00000001-");
  EXPECT_EQ(gen.next(0xffffffff, buf).substr(0, 16), "Root=1-ffffffff-");
  EXPECT_EQ(gen.next(1700000000, buf).substr(0, 16), "Root=1-6553f100-");
}

TEST(TraceIdGenerator, IdsAreUniqueAndValid) {
  TraceIdGenerator gen(0x1234);
  std::set<std::string> seen;
  char buf[41];
  for (int i = 0; i < 10000; ++i) {
    std::string id(gen.next(1700000000, buf));
    EXPECT_TRUE(is_valid_trace_id(id)) << id;
    EXPECT_TRUE(seen.insert(id).second) << "duplicate " << id;
  }
}

TEST(TraceIdGenerator, SeedDeterminesTheSequence) {
  // Workers are seeded differently so that their ids differ; the same seed repeats.
  TraceIdGenerator a(99), b(99), c(100), zero(0);
  char x[41], y[41], z[41], w[41];
  for (int i = 0; i < 100; ++i) {
    std::string_view va = a.next(5, x), vb = b.next(5, y), vc = c.next(5, z), vz = zero.next(5, w);
    EXPECT_EQ(va, vb);
    EXPECT_NE(va, vc);
    EXPECT_TRUE(is_valid_trace_id(vz));
    EXPECT_NE(vz.substr(16), "000000000000000000000000");  // seed 0 is not degenerate
  }
}

}  // namespace
}  // namespace tern::http
