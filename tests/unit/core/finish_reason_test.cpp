// Finish reasons: each maps to exactly one status code and one stable name (logs, metric
// labels); the table is the contract of the error list.
#include "lb/core/finish_reason.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>

namespace tern::core {
namespace {

struct ReasonCase {
  FinishReason reason;
  int status;
  std::string_view name;
};

class FinishReasonTest : public ::testing::TestWithParam<ReasonCase> {};

TEST_P(FinishReasonTest, StatusAndName) {
  EXPECT_EQ(status_for(GetParam().reason), GetParam().status) << GetParam().name;
  EXPECT_EQ(name_of(GetParam().reason), GetParam().name);
}

const ReasonCase kTable[] = {
    {FinishReason::kOk, 200, "ok"},
    {FinishReason::kBadRequest, 400, "bad_request"},
    {FinishReason::kMethodNotAllowed, 405, "method_not_allowed"},
    {FinishReason::kRequestHeaderTimeout, 408, "request_header_timeout"},
    {FinishReason::kBodyTooLarge, 413, "body_too_large"},
    {FinishReason::kUriTooLong, 414, "uri_too_long"},
    {FinishReason::kHeadersTooLarge, 431, "headers_too_large"},
    {FinishReason::kTooManyForwardedFor, 463, "too_many_forwarded_for"},
    {FinishReason::kNotImplemented, 501, "not_implemented"},
    {FinishReason::kVersionNotSupported, 505, "version_not_supported"},
    {FinishReason::kNoRoute, 500, "no_route"},
    {FinishReason::kNoHealthyTarget, 503, "no_healthy_target"},
    {FinishReason::kUpstreamConnectFailure, 502, "upstream_connect_failure"},
    {FinishReason::kUpstreamConnectTimeout, 504, "upstream_connect_timeout"},
    {FinishReason::kUpstreamReset, 502, "upstream_reset"},
    {FinishReason::kUpstreamBadResponse, 502, "upstream_bad_response"},
    {FinishReason::kUpstreamTimeout, 504, "upstream_timeout"},
    {FinishReason::kDownstreamReset, 460, "downstream_reset"},
    {FinishReason::kDownstreamTimeout, 408, "downstream_timeout"},
    {FinishReason::kShutdown, 503, "shutdown"},
    {FinishReason::kFixedResponse, 200, "fixed_response"},
    {FinishReason::kRedirect, 301, "redirect"},
    {FinishReason::kRewriteFailed, 500, "rewrite_failed"},
};

INSTANTIATE_TEST_SUITE_P(All, FinishReasonTest, ::testing::ValuesIn(kTable),
                         [](const ::testing::TestParamInfo<ReasonCase>& i) {
                           return std::string(i.param.name);
                         });

TEST(FinishReason, TableCoversEveryReason) {
  // A reason added to the enum must be added to the table above (and get a status).
  constexpr int kLast = static_cast<int>(kLastFinishReason);
  EXPECT_EQ(std::size(kTable), static_cast<size_t>(kLast + 1));
  for (int r = 0; r <= kLast; ++r) {
    EXPECT_EQ(static_cast<int>(kTable[r].reason), r) << "table out of enum order at " << r;
  }
}

TEST(FinishReason, NamesAreUniqueSnakeCase) {
  std::set<std::string_view> names;
  for (int r = 0; r <= static_cast<int>(kLastFinishReason); ++r) {
    std::string_view name = name_of(static_cast<FinishReason>(r));
    EXPECT_TRUE(names.insert(name).second) << "duplicate " << name;
    ASSERT_FALSE(name.empty());
    EXPECT_NE(name.front(), '_');
    EXPECT_NE(name.back(), '_');
    for (char c : name) EXPECT_TRUE((c >= 'a' && c <= 'z') || c == '_') << name;
    EXPECT_NE(name, "unknown");
  }
}

TEST(FinishReason, StatusesAreHttpStatuses) {
  for (int r = 0; r <= static_cast<int>(kLastFinishReason); ++r) {
    int status = status_for(static_cast<FinishReason>(r));
    EXPECT_GE(status, 200) << r;
    EXPECT_LE(status, 599) << r;
  }
}

TEST(FinishReason, OnlyOkIsTheTargetsResponse) {
  for (int r = 0; r <= static_cast<int>(kLastFinishReason); ++r) {
    auto reason = static_cast<FinishReason>(r);
    EXPECT_EQ(is_upstream_response(reason), reason == FinishReason::kOk) << name_of(reason);
  }
}

TEST(FinishReason, OutOfRangeValueIsUnknown) {
  // Out-of-range values (never produced) still map to something loggable.
  auto bogus = static_cast<FinishReason>(200);
  EXPECT_EQ(status_for(bogus), 500);
  EXPECT_EQ(name_of(bogus), "unknown");
}

}  // namespace
}  // namespace tern::core
