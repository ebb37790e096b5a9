// Forward (weighted split, group stickiness), redirect and fixed_response actions.
#include "lb/router/actions.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "lb/router/compiled_rules.hpp"
#include "tests/unit/router/router_test_util.hpp"

namespace tern::router {
namespace {

using test::TestRequest;

// ---- weighted split ----------------------------------------------------------------------

TEST(WeightedSchedule, NinetyTenIsExactOverTenThousandPicks) {
  const std::array<int, 2> weights{90, 10};
  WeightedSchedule schedule(weights);
  EXPECT_EQ(schedule.period(), 10u);  // divided by the gcd
  std::array<int, 2> count{};
  for (uint64_t i = 0; i < 10000; ++i) ++count[schedule.pick(i)];
  EXPECT_NEAR(count[0], 9000, 1);
  EXPECT_NEAR(count[1], 1000, 1);
}

TEST(WeightedSchedule, SmoothNotBursty) {
  const std::array<int, 2> weights{90, 10};
  WeightedSchedule schedule(weights);
  // One canary pick in every window of ten consecutive picks, wherever the window starts.
  for (uint64_t start = 0; start < 100; ++start) {
    int canary = 0;
    for (uint64_t i = start; i < start + 10; ++i) canary += schedule.pick(i) == 1 ? 1 : 0;
    EXPECT_EQ(canary, 1) << start;
  }
}

TEST(WeightedSchedule, ExactForOddWeightsOverAnyPrefix) {
  const std::array<int, 5> weights{999, 1, 0, 500, 37};
  WeightedSchedule schedule(weights);
  const int total = 999 + 1 + 0 + 500 + 37;
  std::array<int64_t, 5> count{};
  for (uint64_t n = 1; n <= 3 * static_cast<uint64_t>(total); ++n) {
    ++count[schedule.pick(n - 1)];
    for (size_t g = 0; g < weights.size(); ++g) {
      // Smooth WRR keeps every group within one pick of its exact share at every point.
      const double expected = static_cast<double>(n) * weights[g] / total;
      ASSERT_LT(std::abs(static_cast<double>(count[g]) - expected), 1.0 + 1e-9)
          << "group " << g << " after " << n;
    }
  }
  EXPECT_EQ(count[2], 0);  // weight 0 never picked
}

TEST(WeightedSchedule, SingleAndZeroWeights) {
  const std::array<int, 1> one{1};
  EXPECT_EQ(WeightedSchedule(one).pick(12345), 0u);
  const std::array<int, 2> zero_first{0, 3};
  WeightedSchedule schedule(zero_first);
  for (uint64_t i = 0; i < 10; ++i) EXPECT_EQ(schedule.pick(i), 1u);
}

TEST(SmoothWeightedRoundRobin, NginxSequence) {
  // The example of ngx_http_upstream_round_robin.c: weights 5,1,1 give a a b a c a a.
  const std::array<int, 3> weights{5, 1, 1};
  SmoothWeightedRoundRobin swrr(weights);
  std::string seq;
  for (int i = 0; i < 7; ++i) seq.push_back(static_cast<char>('a' + swrr.next()));
  EXPECT_EQ(seq, "aabacaa");
}

ForwardPlan plan(std::initializer_list<std::pair<const char*, int>> groups, bool sticky) {
  config::Action a = test::weighted(groups);
  a.forward.stickiness_enabled = sticky;
  a.forward.stickiness_duration = std::chrono::hours(1);
  return ForwardPlan::compile(a.forward);
}

TEST(ForwardPlan, ChooseAdvancesTheCounterWithoutStickiness) {
  ForwardPlan p = plan({{"blue", 90}, {"green", 10}}, false);
  TestRequest t("/", {{"Host", "h"}});
  uint64_t sequence = 0;
  std::array<int, 2> count{};
  for (int i = 0; i < 10000; ++i) {
    auto choice = p.choose(t.request(), sequence, 1000);
    EXPECT_FALSE(choice.set_cookie);
    ++count[choice.group];
  }
  EXPECT_EQ(sequence, 10000u);
  EXPECT_EQ(count[0], 9000);
  EXPECT_EQ(count[1], 1000);
}

TEST(ForwardPlan, StickyCookieHoldsUntilItExpires) {
  ForwardPlan p = plan({{"blue", 1}, {"green", 0}}, true);
  const int64_t now = 1'700'000'000;
  const std::string value = p.cookie_value(1, now);  // names green (weight 0 now)
  EXPECT_EQ(value.size(), 16u + 1 + 10);
  EXPECT_EQ(p.group_from_cookie(value, now), 1u);
  EXPECT_EQ(p.group_from_cookie(value, now + 3599), 1u);
  EXPECT_EQ(p.group_from_cookie(value, now + 3600), std::nullopt);

  uint64_t sequence = 0;
  TestRequest sticky("/", {{"Host", "h"}, {"Cookie", "a=1; AWSALBTG=" + value + "; b=2"}});
  auto choice = p.choose(sticky.request(), sequence, now + 10);
  EXPECT_EQ(choice.group, 1u);  // stickiness lets sessions finish on a weight-0 group
  EXPECT_FALSE(choice.set_cookie);
  EXPECT_EQ(sequence, 0u);

  TestRequest fresh("/", {{"Host", "h"}, {"Cookie", "AWSALBTG=garbage"}});
  choice = p.choose(fresh.request(), sequence, now);
  EXPECT_EQ(choice.group, 0u);
  EXPECT_TRUE(choice.set_cookie);
  EXPECT_EQ(sequence, 1u);
}

TEST(ForwardPlan, CookieOfAnotherActionOrTamperedIsIgnored) {
  ForwardPlan a = plan({{"blue", 1}, {"green", 1}}, true);
  ForwardPlan b = plan({{"red", 1}, {"black", 1}}, true);
  const std::string value = a.cookie_value(0, 100);
  EXPECT_EQ(b.group_from_cookie(value, 100), std::nullopt);
  EXPECT_EQ(a.group_from_cookie(value.substr(1), 100), std::nullopt);
  EXPECT_EQ(a.group_from_cookie(value + "x", 100), std::nullopt);
  EXPECT_EQ(a.group_from_cookie("", 100), std::nullopt);
  // The same group name in another action (reordered) is still that group.
  ForwardPlan reordered = plan({{"green", 1}, {"blue", 1}}, true);
  EXPECT_EQ(reordered.group_from_cookie(value, 100), 1u);
}

TEST(ForwardPlan, SetCookieFormat) {
  ForwardPlan p = plan({{"blue", 1}, {"green", 1}}, true);
  EXPECT_EQ(p.set_cookie("v", false), "AWSALBTG=v; Max-Age=3600; Path=/");
  EXPECT_EQ(p.set_cookie("v", true), "AWSALBTGCORS=v; Max-Age=3600; Path=/; SameSite=None; Secure");
}

TEST(ForwardPlan, AppendSetCookieIsSetCookieOfCookieValue) {
  ForwardPlan p = plan({{"blue", 1}, {"green", 1}}, true);
  for (size_t group : {0u, 1u}) {
    for (bool cors : {false, true}) {
      std::string out = "prefix;";
      p.append_set_cookie(group, 1700000000, cors, out);
      EXPECT_EQ(out, "prefix;" + p.set_cookie(p.cookie_value(group, 1700000000), cors));
    }
  }
  // The value names the group for stickiness_duration.
  const std::string value = p.cookie_value(1, 1700000000);
  EXPECT_EQ(value.size(), 16u + 1u + 10u);
  EXPECT_EQ(value.substr(17), "1700003600");
}

TEST(ForwardPlan, StickinessNeedsSeveralGroups) {
  EXPECT_FALSE(plan({{"only", 1}}, true).stickiness_enabled);
}

TEST(FindCookie, Rfc6265Pairs) {
  EXPECT_EQ(find_cookie("a=1; b=2", "b"), "2");
  EXPECT_EQ(find_cookie("a=1;b=2", "b"), "2");
  EXPECT_EQ(find_cookie(" b = \"q\" ", "b"), "q");
  EXPECT_EQ(find_cookie("ab=1; b=", "b"), "");
  EXPECT_EQ(find_cookie("ab=1", "b"), std::nullopt);
  EXPECT_EQ(find_cookie("b", "b"), std::nullopt);
  EXPECT_EQ(find_cookie("", "b"), std::nullopt);
}

// ---- redirect ----------------------------------------------------------------------------

config::RedirectAction redirect(const char* protocol, const char* host, const char* port,
                                const char* path, const char* query) {
  config::RedirectAction r;
  r.protocol = protocol;
  r.host = host;
  r.port = port;
  r.path = path;
  r.query = query;
  return r;
}

struct RedirectCase {
  config::RedirectAction redirect;
  const char* target;
  const char* host;
  uint16_t listener_port;
  bool https;
  const char* location;
};

class Redirect : public ::testing::TestWithParam<RedirectCase> {};

TEST_P(Redirect, BuildsTheLocation) {
  const RedirectCase& c = GetParam();
  TestRequest t(c.target, {{"Host", c.host}}, "GET", "10.0.0.1", c.listener_port, c.https);
  std::string location;
  ASSERT_TRUE(build_redirect(c.redirect, t.request(), location));
  EXPECT_EQ(location, c.location);
}

INSTANTIATE_TEST_SUITE_P(
    Alb, Redirect,
    ::testing::Values(
        // HTTP to HTTPS, the classic: the default port 443 is left out.
        RedirectCase{redirect("https", "#{host}", "443", "/#{path}", "#{query}"), "/a/b?x=1",
                     "Example.com:80", 80, false, "https://example.com/a/b?x=1"},
        // Defaults keep everything but what changes.
        RedirectCase{redirect("#{protocol}", "#{host}", "#{port}", "/new/#{path}", "#{query}"),
                     "/old/x", "h", 80, false, "http://h/new/old/x"},
        RedirectCase{redirect("#{protocol}", "#{host}", "#{port}", "/new/#{path}", "#{query}"),
                     "/old/x", "h", 8080, false, "http://h:8080/new/old/x"},
        RedirectCase{redirect("#{protocol}", "#{host}", "#{port}", "/#{path}", "#{query}"), "/p",
                     "h", 443, true, "https://h/p"},
        RedirectCase{redirect("http", "#{host}", "#{port}", "/#{path}", "#{query}"), "/p", "h", 443,
                     true, "http://h:443/p"},
        // Empty query: no '?'.
        RedirectCase{redirect("https", "#{host}", "443", "/#{path}", "#{query}"), "/p?", "h", 80,
                     false, "https://h/p"},
        RedirectCase{redirect("https", "#{host}", "443", "/#{path}", ""), "/p?a=1", "h", 80, false,
                     "https://h/p"},
        RedirectCase{redirect("https", "#{host}", "443", "/#{path}", "from=#{host}&#{query}"),
                     "/p?a=1", "h", 80, false, "https://h/p?from=h&a=1"},
        // Placeholders anywhere; #{path} without its leading slash.
        RedirectCase{redirect("https", "www.#{host}", "8443", "/#{path}/index.html", "#{query}"),
                     "/docs", "example.com", 80, false,
                     "https://www.example.com:8443/docs/index.html"},
        RedirectCase{redirect("https", "new.example.com", "#{port}", "/#{path}", "#{query}"), "/",
                     "old.example.com", 443, true, "https://new.example.com/"},
        // The normalized path, as rules saw it.
        RedirectCase{redirect("https", "#{host}", "443", "/#{path}", "#{query}"), "/a/../b/%7Ex",
                     "h", 80, false, "https://h/b/~x"},
        RedirectCase{redirect("https", "#{host}", "443", "/#{path}", "#{query}"), "/", "[::1]:80",
                     80, false, "https://[::1]/"}));

TEST(Redirect, NoHostCannotRedirectToIt) {
  TestRequest t("/p");
  std::string location;
  EXPECT_FALSE(
      build_redirect(redirect("https", "#{host}", "443", "/#{path}", ""), t.request(), location));
  EXPECT_TRUE(build_redirect(redirect("https", "fixed.example", "443", "/#{path}", ""), t.request(),
                             location));
  EXPECT_EQ(location, "https://fixed.example/p");
}

TEST(Redirect, ThroughCompiledRules) {
  config::Action a;
  a.type = config::Action::Type::kRedirect;
  a.redirect = redirect("https", "#{host}", "443", "/#{path}", "#{query}");
  a.redirect.status_code = 302;
  config::Conditions c;
  c.path_pattern = test::values({"/old/*"});
  auto compiled = CompiledRules::compile({test::rule(5, c, a)}, test::forward("app"));
  ASSERT_TRUE(compiled.errors.empty());
  TestRequest t("/old/x?q=1", {{"Host", "h"}});
  const Route& route = compiled.rules->match(t.request());
  ASSERT_EQ(route.action.type, config::Action::Type::kRedirect);
  EXPECT_EQ(route.action.redirect.status_code, 302);
  std::string location;
  ASSERT_TRUE(build_redirect(route.action.redirect, t.request(), location));
  EXPECT_EQ(location, "https://h/old/x?q=1");
}

TEST(FixedResponse, PlainData) {
  config::Action a = test::fixed(503, "back soon");
  a.fixed_response.content_type = "application/json";
  config::Conditions c;
  c.path_pattern = test::values({"/maintenance"});
  auto compiled = CompiledRules::compile({test::rule(1, c, a)}, test::forward("app"));
  ASSERT_TRUE(compiled.errors.empty());
  const Route& route =
      compiled.rules->match(TestRequest("/maintenance", {{"Host", "h"}}).request());
  ASSERT_EQ(route.action.type, config::Action::Type::kFixedResponse);
  EXPECT_EQ(route.action.fixed_response.status, 503);
  EXPECT_EQ(route.action.fixed_response.content_type, "application/json");
  EXPECT_EQ(route.action.fixed_response.body, "back soon");
}

}  // namespace
}  // namespace tern::router
