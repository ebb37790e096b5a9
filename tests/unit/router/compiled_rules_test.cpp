// Rule order, the default action, compile errors, and the index against the linear scan.
#include "lb/router/compiled_rules.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "tests/unit/router/router_test_util.hpp"

namespace tern::router {
namespace {

using test::TestRequest;
using test::values;

config::Conditions host(std::initializer_list<const char*> v) {
  config::Conditions c;
  c.host_header = values(v);
  return c;
}

config::Conditions path(std::initializer_list<const char*> v) {
  config::Conditions c;
  c.path_pattern = values(v);
  return c;
}

std::string group_of(const Route& route) {
  return route.action.forward.groups.at(0).name;
}

TEST(CompiledRules, LowestPriorityFirstDefaultLast) {
  // Given out of order on purpose: compile sorts by priority.
  std::vector<config::Rule> rules{
      test::rule(30, path({"/*"}), test::forward("catch-all")),
      test::rule(10, path({"/users/*"}), test::forward("users")),
      test::rule(20, host({"api.example.com"}), test::forward("api")),
  };
  auto compiled = CompiledRules::compile(rules, test::forward("default"));
  ASSERT_TRUE(compiled.errors.empty());
  const CompiledRules& r = *compiled.rules;
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r.routes()[0].priority, 10);
  EXPECT_EQ(r.routes()[2].priority, 30);
  EXPECT_TRUE(r.default_route().is_default);
  EXPECT_EQ(r.default_route().index, 3u);

  EXPECT_EQ(group_of(r.match(TestRequest("/users/1", {{"Host", "api.example.com"}}).request())),
            "users");
  EXPECT_EQ(group_of(r.match(TestRequest("/other", {{"Host", "api.example.com"}}).request())),
            "api");
  EXPECT_EQ(group_of(r.match(TestRequest("/other", {{"Host", "x"}}).request())), "catch-all");
  EXPECT_EQ(group_of(r.match(TestRequest("*", {{"Host", "x"}}, "OPTIONS").request())), "default");
}

TEST(CompiledRules, NoRulesIsTheDefaultAction) {
  auto compiled = CompiledRules::compile(std::vector<config::Rule>{}, test::fixed(503, "down"));
  ASSERT_TRUE(compiled.errors.empty());
  const Route& route = compiled.rules->match(TestRequest("/", {{"Host", "h"}}).request());
  EXPECT_TRUE(route.is_default);
  EXPECT_EQ(route.action.type, config::Action::Type::kFixedResponse);
  EXPECT_EQ(route.action.fixed_response.status, 503);
  EXPECT_EQ(route.action.fixed_response.body, "down");
  EXPECT_EQ(route.action.fixed_response.content_type, "text/plain");
}

TEST(CompiledRules, ResolverGivesGroupIds) {
  auto compiled = CompiledRules::compile(
      {test::rule(1, path({"/a"}), test::weighted({{"blue", 1}, {"green", 1}}))},
      test::forward("app"), [](std::string_view name) -> uint32_t {
        return name == "blue" ? 7 : name == "green" ? 8 : 9;
      });
  ASSERT_TRUE(compiled.errors.empty());
  EXPECT_EQ(compiled.rules->routes()[0].action.forward.groups[0].id, 7u);
  EXPECT_EQ(compiled.rules->routes()[0].action.forward.groups[1].id, 8u);
  EXPECT_EQ(compiled.rules->default_route().action.forward.groups[0].id, 9u);
}

TEST(CompiledRules, InvalidRegexesAreErrorsAtTheirMark) {
  config::Conditions c;
  c.path_pattern = test::regexes({"^/ok$", "(unclosed"});
  c.path_pattern->mark = {12, 9};
  config::Rule r = test::rule(1, c);
  r.transforms.url_rewrite = config::Rewrite{"^/(a)$", "/$2", {14, 11}};
  config::Conditions h;
  h.http_header = {test::header("X-A", test::regexes({"a**"}))};
  h.http_header[0].match.mark = {20, 3};
  auto compiled = CompiledRules::compile({r, test::rule(2, h)}, test::forward("d"));
  EXPECT_EQ(compiled.rules, nullptr);
  ASSERT_EQ(compiled.errors.size(), 3u);
  EXPECT_EQ(compiled.errors[0].mark.line, 12);
  EXPECT_NE(compiled.errors[0].message.find("(unclosed"), std::string::npos);
  EXPECT_EQ(compiled.errors[1].mark.line, 14);
  EXPECT_NE(compiled.errors[1].message.find("url_rewrite"), std::string::npos);
  EXPECT_EQ(compiled.errors[2].mark.line, 20);
}

TEST(CompiledRules, IndexFilesRulesWhereTheyAreSelective) {
  std::vector<config::Rule> rules;
  // 50 rules on one host with distinct path prefixes: filed by path, not by host.
  for (int i = 0; i < 50; ++i) {
    config::Conditions c;
    c.host_header = values({"api.example.com"});
    c.path_pattern = values({("/svc" + std::to_string(i) + "/*").c_str()});
    rules.push_back(test::rule(i + 1, c));
  }
  rules.push_back(test::rule(100, host({"www.example.com"})));
  rules.push_back(test::rule(101, path({"/*"})));  // not indexable
  auto compiled = CompiledRules::compile(rules, test::forward("d"));
  ASSERT_TRUE(compiled.errors.empty());
  const auto stats = compiled.rules->index_stats();
  EXPECT_EQ(stats.by_path, 50u);
  EXPECT_EQ(stats.by_host, 1u);
  EXPECT_EQ(stats.unindexed, 1u);
  EXPECT_EQ(compiled.rules->match(TestRequest("/svc17/x", {{"Host", "api.example.com"}}).request())
                .priority,
            18);
}

TEST(CompiledRules, ThousandsOfValuesInOneRule) {
  config::Conditions hosts;
  hosts.host_header.emplace();
  config::Conditions paths;
  paths.path_pattern.emplace();
  for (int i = 0; i < 5000; ++i) {
    hosts.host_header->values.push_back("h" + std::to_string(i) + ".example.com");
    paths.path_pattern->values.push_back("/p" + std::to_string(i) + "/*");
    paths.path_pattern->values.push_back("*.ext" + std::to_string(i));
  }
  hosts.path_pattern = values({"/api/*"});
  auto compiled = CompiledRules::compile(
      {test::rule(1, hosts, test::forward("hosts")), test::rule(2, paths, test::forward("paths"))},
      test::forward("default"));
  ASSERT_TRUE(compiled.errors.empty());
  const CompiledRules& r = *compiled.rules;
  auto route = [&](const char* target, const char* host) -> std::string {
    TestRequest t(target, {{"Host", host}});
    EXPECT_EQ(r.match(t.request()).index, r.match_linear(t.request()).index);
    return group_of(r.match(t.request()));
  };
  EXPECT_EQ(route("/api/x", "H4999.example.com"), "hosts");
  EXPECT_EQ(route("/api/x", "h0.example.com:80"), "hosts");
  EXPECT_EQ(route("/p17/x", "h0.example.com"), "paths");  // host matches, path does not
  EXPECT_EQ(route("/api/x", "h5000.example.com"), "default");
  EXPECT_EQ(route("/p4999/", "x"), "paths");
  EXPECT_EQ(route("/a/b.ext123", "x"), "paths");
  EXPECT_EQ(route("/p5000/x", "x"), "default");
}

TEST(CompiledRules, AnchoredPathRegexesAreIndexedByTheirLiteralPrefix) {
  config::Conditions anchored;
  anchored.path_pattern = test::regexes({"^/v1/orders/[0-9]+$"});
  config::Conditions alternation;
  alternation.path_pattern = test::regexes({"^/a|/b"});
  auto compiled = CompiledRules::compile({test::rule(1, anchored), test::rule(2, alternation)},
                                         test::forward("d"));
  ASSERT_TRUE(compiled.errors.empty());
  EXPECT_EQ(compiled.rules->index_stats().by_path, 1u);
  EXPECT_EQ(compiled.rules->index_stats().unindexed, 1u);
  EXPECT_EQ(compiled.rules->match(TestRequest("/v1/orders/12", {{"Host", "h"}}).request()).priority,
            1);
  EXPECT_EQ(compiled.rules->match(TestRequest("/x/b", {{"Host", "h"}}).request()).priority, 2);
}

// ---- differential test: the index must agree with the linear scan -------------------------

class RandomRules {
 public:
  explicit RandomRules(uint32_t seed) : rng_(seed) {}

  std::vector<config::Rule> rules(size_t count) {
    std::vector<int> priorities(count);
    for (size_t i = 0; i < count; ++i) priorities[i] = static_cast<int>(i + 1) * 3;
    std::shuffle(priorities.begin(), priorities.end(), rng_);
    std::vector<config::Rule> out;
    for (size_t i = 0; i < count; ++i) out.push_back(one_rule(priorities[i]));
    return out;
  }

  TestRequest* request(std::vector<std::unique_ptr<TestRequest>>& keep) {
    std::string target = random_path();
    if (chance(40)) target += "?" + pick(kQueries);
    std::vector<std::pair<std::string, std::string>> headers{{"Host", random_host()}};
    if (chance(50)) headers.push_back({"X-Tag", pick(kTags)});
    if (chance(20)) headers.push_back({"x-tag", pick(kTags)});
    keep.push_back(
        std::make_unique<TestRequest>(target, headers, chance(70) ? "GET" : "POST", pick(kPeers)));
    return keep.back().get();
  }

 private:
  inline static const std::vector<std::string> kHosts{
      "example.com", "a.example.com", "b.example.com", "api.test", "x.y.example.com", "other.org"};
  inline static const std::vector<std::string> kHostPatterns{"example.com",
                                                             "a.example.com",
                                                             "*.example.com",
                                                             "*.test",
                                                             "a.*",
                                                             "?.example.com",
                                                             "*",
                                                             "*example*",
                                                             "api.test",
                                                             "b.example.co?",
                                                             "*.y.example.com",
                                                             "other.org"};
  inline static const std::vector<std::string> kSegments{"users", "items", "api",
                                                         "v1",    "x.jpg", "u"};
  inline static const std::vector<std::string> kPathPatterns{
      "/users/*", "/users",  "/api/v1/*", "/api/*",       "*.jpg",          "/u*",           "/*",
      "/?tems/*", "*/x.jpg", "/",         "/items/users", "/users/*/items", "/api/v1/users", "*",
      "/a*/v1*",  "/users/"};
  inline static const std::vector<std::string> kRegexes{
      "^/api",     "users$",         "^[ab]\\.",  "v1",          "^/users/[a-z]+$",
      "^/api/v1/", "^/u(sers)?/",    "^/(api|u)", "(?m)^/items", "^/[a-z]+/v1/[u]sers$",
      "^/?",       "^/x\\.jpg|^/api"};
  inline static const std::vector<std::string> kTags{"on", "off", "canary", "ON"};
  inline static const std::vector<std::string> kQueries{"v=2", "beta", "v=1&beta=on", "x=y", ""};
  inline static const std::vector<std::string> kPeers{"10.0.0.1", "192.0.2.7", "2001:db8::1",
                                                      "::ffff:10.2.0.1"};
  inline static const std::vector<std::string> kCidrs{"10.0.0.0/8", "192.0.2.0/24", "2001:db8::/32",
                                                      "10.2.0.0/16"};

  bool chance(int percent) { return std::uniform_int_distribution<int>(0, 99)(rng_) < percent; }
  const std::string& pick(const std::vector<std::string>& from) {
    return from[std::uniform_int_distribution<size_t>(0, from.size() - 1)(rng_)];
  }

  std::string random_host() {
    std::string h = pick(kHosts);
    if (chance(10)) h = "A." + h;
    if (chance(10)) h += ":8080";
    return h;
  }

  std::string random_path() {
    std::string p;
    const int n = std::uniform_int_distribution<int>(0, 3)(rng_);
    for (int i = 0; i < n; ++i) p += "/" + pick(kSegments);
    if (p.empty() || chance(15)) p += "/";
    return p;
  }

  config::MatchValues random_values(const std::vector<std::string>& from, bool regex) {
    config::MatchValues m;
    const int n = std::uniform_int_distribution<int>(1, 3)(rng_);
    for (int i = 0; i < n; ++i) (regex ? m.regex_values : m.values).push_back(pick(from));
    return m;
  }

  config::Rule one_rule(int priority) {
    config::Conditions c;
    while (true) {
      if (chance(50)) c.host_header = random_values(chance(10) ? kRegexes : kHostPatterns, false);
      if (chance(10) && !c.host_header) c.host_header = random_values(kRegexes, true);
      if (chance(55)) c.path_pattern = random_values(kPathPatterns, false);
      if (chance(10) && !c.path_pattern) c.path_pattern = random_values(kRegexes, true);
      if (chance(15)) c.http_request_method = {chance(50) ? "GET" : "POST"};
      if (chance(15)) c.http_header = {test::header("X-Tag", random_values(kTags, false))};
      if (chance(10)) c.query_string = {chance(50) ? test::query("v", "2") : test::query("on")};
      if (chance(10)) c.source_ip = {pick(kCidrs)};
      if (c.host_header || c.path_pattern || !c.http_request_method.empty() ||
          !c.http_header.empty() || !c.query_string.empty() || !c.source_ip.empty()) {
        break;
      }
    }
    return test::rule(priority, c, test::forward(std::to_string(priority).c_str()));
  }

  std::mt19937 rng_;
};

TEST(CompiledRulesDifferential, IndexAgreesWithLinearScan) {
  size_t matched_a_rule = 0;
  size_t total = 0;
  for (uint32_t seed = 1; seed <= 60; ++seed) {
    RandomRules gen(seed);
    const size_t count = seed % 3 == 0 ? 400 : 1 + seed * 3;
    auto compiled = CompiledRules::compile(gen.rules(count), test::forward("default"));
    ASSERT_TRUE(compiled.errors.empty());
    std::vector<std::unique_ptr<TestRequest>> keep;
    for (int i = 0; i < 300; ++i) {
      const TestRequest* t = gen.request(keep);
      ASSERT_EQ(t->status(), PrepareStatus::kOk);
      const Route& indexed = compiled.rules->match(t->request());
      const Route& linear = compiled.rules->match_linear(t->request());
      ASSERT_EQ(indexed.index, linear.index)
          << "seed " << seed << " host " << t->request().host << " path " << t->request().path;
      matched_a_rule += indexed.is_default ? 0 : 1;
      ++total;
    }
  }
  // The generator must exercise both outcomes, or the agreement proves little.
  EXPECT_GT(matched_a_rule, total / 2);
  EXPECT_LT(matched_a_rule, total);
}

}  // namespace
}  // namespace tern::router
