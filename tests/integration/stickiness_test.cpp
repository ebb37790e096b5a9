// Target stickiness (ALB's lb_cookie and app_cookie) end to end: a session stays on its
// target across connections and workers, a forged or edited cookie is not trusted, and a
// session moves (with a new cookie) when its target is removed or refuses connections.
#include <regex>
#include <set>

#include "tests/integration/harness.hpp"

namespace tern::test {
namespace {

class Stickiness : public TernTest {
 protected:
  std::string config(const std::vector<const Backend*>& backends, const std::string& stickiness,
                     const std::vector<std::string>& top = {"workers: 2"}) {
    ConfigSpec spec;
    spec.top = top;
    spec.listeners = {ListenerSpec{}};
    TargetGroupSpec g;
    for (const Backend* b : backends) g.targets.push_back(b->address());
    g.extra = {"stickiness: " + stickiness};
    spec.groups = {g};
    return to_yaml(spec);
  }
};

// "AWSALB=<value>" from a response's Set-Cookie lines (empty when there is none).
std::string lb_cookie(const Response& r) {
  for (const std::string& line : find_all(r.headers, "Set-Cookie")) {
    std::smatch m;
    if (std::regex_match(line, m,
                         std::regex(R"((AWSALB=[A-Za-z0-9_-]+); Max-Age=(\d+); Path=/)"))) {
      return m[1].str();
    }
  }
  return {};
}

std::string app_cookie(const Response& r) {
  for (const std::string& line : find_all(r.headers, "Set-Cookie")) {
    std::smatch m;
    if (std::regex_match(line, m,
                         std::regex(R"((AWSALBAPP-0=[A-Za-z0-9_-]+); Max-Age=(\d+); Path=/)"))) {
      return m[1].str();
    }
  }
  return {};
}

TEST_F(Stickiness, LbCookieHoldsAcrossConnectionsAndWorkers) {
  Backend a("a"), b("b"), c("c");
  ASSERT_NO_FATAL_FAILURE(
      start_tern(config({&a, &b, &c}, "{ enabled: true, type: lb_cookie, duration: 1h }")));
  const Response first = simple_get(port_, "/");
  ASSERT_EQ(first.status, 200) << first.describe();
  const std::string cookie = lb_cookie(first);
  ASSERT_FALSE(cookie.empty()) << first.describe();
  EXPECT_NE(find_all(first.headers, "Set-Cookie")[0].find("Max-Age=3600"), std::string::npos);
  const std::string target = first.header("X-Backend").value_or("?");
  for (int i = 0; i < 30; ++i) {
    const Response r = simple_get(port_, "/", {{"Cookie", "theme=dark; " + cookie}});
    ASSERT_EQ(r.status, 200) << r.describe();
    EXPECT_EQ(r.header("X-Backend"), target) << i;
    EXPECT_FALSE(lb_cookie(r).empty()) << "ALB refreshes AWSALB on every response";
  }
  // Without the cookie the group is balanced as usual.
  std::set<std::string> seen;
  for (int i = 0; i < 6; ++i) seen.insert(simple_get(port_, "/").header("X-Backend").value_or("?"));
  EXPECT_EQ(seen.size(), 3U);
}

TEST_F(Stickiness, ForgedOrEditedCookieIsNotTrusted) {
  Backend a("a"), b("b");
  ASSERT_NO_FATAL_FAILURE(
      start_tern(config({&a, &b}, "{ enabled: true, type: lb_cookie }", {"workers: 1"})));
  const Response first = simple_get(port_, "/");
  std::string cookie = lb_cookie(first);
  ASSERT_FALSE(cookie.empty()) << first.describe();
  std::string edited = cookie;
  edited.back() = edited.back() == 'A' ? 'B' : 'A';
  std::set<std::string> seen;
  for (int i = 0; i < 4; ++i) {
    const Response r = simple_get(port_, "/", {{"Cookie", edited}});
    ASSERT_EQ(r.status, 200) << r.describe();
    seen.insert(r.header("X-Backend").value_or("?"));
    EXPECT_FALSE(lb_cookie(r).empty());
    EXPECT_NE(lb_cookie(r), edited);
  }
  EXPECT_EQ(seen.size(), 2U) << "an edited cookie pinned the session";
  for (const char* junk : {"AWSALB=", "AWSALB=garbage", "AWSALB=%%%"}) {
    EXPECT_EQ(simple_get(port_, "/", {{"Cookie", junk}}).status, 200) << junk;
  }
}

TEST_F(Stickiness, SessionMovesWhenItsTargetIsRemoved) {
  Backend a("a"), b("b");
  ASSERT_NO_FATAL_FAILURE(start_tern(config({&a, &b}, "{ enabled: true, type: lb_cookie }")));
  // A session on b.
  std::string cookie;
  for (int i = 0; i < 4 && cookie.empty(); ++i) {
    const Response r = simple_get(port_, "/");
    if (r.header("X-Backend") == "b") cookie = lb_cookie(r);
  }
  ASSERT_FALSE(cookie.empty());
  tern_->rewrite_config(config({&a}, "{ enabled: true, type: lb_cookie }"));
  ASSERT_EQ(tern_->reload(), ReloadOutcome::kReloaded) << tern_->log();
  const Response moved = simple_get(port_, "/", {{"Cookie", cookie}});
  ASSERT_EQ(moved.status, 200) << moved.describe();
  EXPECT_EQ(moved.header("X-Backend"), "a");
  const std::string new_cookie = lb_cookie(moved);
  ASSERT_FALSE(new_cookie.empty());
  EXPECT_NE(new_cookie, cookie);
  // b comes back: the new cookie keeps the session on a.
  tern_->rewrite_config(config({&a, &b}, "{ enabled: true, type: lb_cookie }"));
  ASSERT_EQ(tern_->reload(), ReloadOutcome::kReloaded) << tern_->log();
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(simple_get(port_, "/", {{"Cookie", new_cookie}}).header("X-Backend"), "a") << i;
  }
}

TEST_F(Stickiness, SessionMovesWhenItsTargetRefusesConnections) {
  Backend a("a");
  auto b = std::make_unique<Backend>("b");
  ASSERT_NO_FATAL_FAILURE(start_tern(config({&a, b.get()}, "{ enabled: true, type: lb_cookie }")));
  std::string cookie;
  for (int i = 0; i < 4 && cookie.empty(); ++i) {
    const Response r = simple_get(port_, "/");
    if (r.header("X-Backend") == "b") cookie = lb_cookie(r);
  }
  ASSERT_FALSE(cookie.empty());
  b->stop();
  const Response moved = simple_get(port_, "/", {{"Cookie", cookie}});
  ASSERT_EQ(moved.status, 200) << moved.describe();
  EXPECT_EQ(moved.header("X-Backend"), "a");
  const std::string new_cookie = lb_cookie(moved);
  ASSERT_FALSE(new_cookie.empty());
  EXPECT_EQ(simple_get(port_, "/", {{"Cookie", new_cookie}}).header("X-Backend"), "a");
}

TEST_F(Stickiness, SessionMovesWhenItsTargetTurnsUnhealthy) {
  Backend a("a"), b("b");
  ConfigSpec spec;
  spec.listeners = {ListenerSpec{}};
  TargetGroupSpec g;
  g.targets = {a.address(), b.address()};
  g.extra = {"stickiness: { enabled: true }",
             "health_check: { path: /health, interval: 2s, timeout: 1s, healthy_threshold: 2, "
             "unhealthy_threshold: 2 }"};
  spec.groups = {g};
  ASSERT_NO_FATAL_FAILURE(start_tern(to_yaml(spec)));
  std::string cookie;
  for (int i = 0; i < 4 && cookie.empty(); ++i) {
    const Response r = simple_get(port_, "/");
    if (r.header("X-Backend") == "b") cookie = lb_cookie(r);
  }
  ASSERT_FALSE(cookie.empty());
  const size_t mark = tern_->mark();
  b.set_probe_status(503);
  ASSERT_TRUE(tern_->wait_for_line(b.address() + " of \"app\" is unhealthy", Millis(9000), mark))
      << tern_->log();
  // a may still be `initial` (then the group fails open and b is still used): wait for a.
  ASSERT_TRUE(tern_->wait_for_line(a.address() + " of \"app\" is healthy", Millis(9000)))
      << tern_->log();
  const Response moved = simple_get(port_, "/", {{"Cookie", cookie}});
  EXPECT_EQ(moved.header("X-Backend"), "a") << moved.describe();
  const std::string new_cookie = lb_cookie(moved);
  ASSERT_FALSE(new_cookie.empty());
  EXPECT_NE(new_cookie, cookie);
  EXPECT_EQ(simple_get(port_, "/", {{"Cookie", new_cookie}}).header("X-Backend"), "a");
}

TEST_F(Stickiness, AppCookieFollowsTheApplicationsCookie) {
  Backend a("a"), b("b"), c("c");
  ASSERT_NO_FATAL_FAILURE(start_tern(
      config({&a, &b, &c}, "{ enabled: true, type: app_cookie, cookie_name: SID, duration: 2h }")));
  // No application cookie set: no AWSALBAPP either, and no stickiness.
  const Response plain = simple_get(port_, "/");
  ASSERT_EQ(plain.status, 200) << plain.describe();
  EXPECT_TRUE(app_cookie(plain).empty()) << plain.describe();
  // The application starts a session: tern adds AWSALBAPP-0 next to it.
  const Response login = simple_get(port_, "/?set_cookie=SID=s3cr3t");
  ASSERT_EQ(login.status, 200) << login.describe();
  const std::string sticky = app_cookie(login);
  ASSERT_FALSE(sticky.empty()) << login.describe();
  EXPECT_NE(find_all(login.headers, "Set-Cookie")[0].find("SID=s3cr3t"), std::string::npos);
  bool two_hours = false;
  for (const auto& line : find_all(login.headers, "Set-Cookie")) {
    two_hours = two_hours || (line.starts_with("AWSALBAPP-0=") &&
                              line.find("Max-Age=7200") != std::string::npos);
  }
  EXPECT_TRUE(two_hours) << login.describe();
  const std::string target = login.header("X-Backend").value_or("?");
  for (int i = 0; i < 20; ++i) {
    const Response r = simple_get(port_, "/", {{"Cookie", "SID=s3cr3t; " + sticky}});
    EXPECT_EQ(r.header("X-Backend"), target) << i;
    EXPECT_TRUE(app_cookie(r).empty()) << "only set when the application sets its cookie";
  }
  // The AWSALB cookie of lb_cookie means nothing to an app_cookie group.
  std::set<std::string> seen;
  const std::string as_lb = "AWSALB=" + sticky.substr(sticky.find('=') + 1);
  for (int i = 0; i < 6; ++i) {
    seen.insert(simple_get(port_, "/", {{"Cookie", as_lb}}).header("X-Backend").value_or("?"));
  }
  EXPECT_EQ(seen.size(), 3U);
}

TEST_F(Stickiness, CookieOfAnotherGroupIsNotTrusted) {
  Backend a("a"), b("b");
  ConfigSpec spec;
  spec.top = {"workers: 1"};
  ListenerSpec one;
  one.name = "one";
  one.target_group = "g1";
  ListenerSpec two;
  two.name = "two";
  two.target_group = "g2";
  spec.listeners = {one, two};
  TargetGroupSpec g1;
  g1.name = "g1";
  g1.targets = {a.address(), b.address()};
  g1.extra = {"stickiness: { enabled: true }"};
  TargetGroupSpec g2 = g1;
  g2.name = "g2";
  spec.groups = {g1, g2};
  ASSERT_NO_FATAL_FAILURE(start_tern(to_yaml(spec), {}, "one"));
  const uint16_t port_two = tern_->port("two");
  const Response first = simple_get(port_, "/");
  const std::string cookie = lb_cookie(first);
  ASSERT_FALSE(cookie.empty());
  std::set<std::string> seen;
  for (int i = 0; i < 4; ++i) {
    seen.insert(simple_get(port_two, "/", {{"Cookie", cookie}}).header("X-Backend").value_or("?"));
  }
  EXPECT_EQ(seen.size(), 2U);
}

}  // namespace
}  // namespace tern::test
