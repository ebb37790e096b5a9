// fleet_key_file end to end: two tern processes with the same fleet key in front of the
// same backends honour each other's lb_cookie stickiness cookies; with another fleet key
// the cookie is not trusted (the request is balanced and gets a new cookie); a reload
// with a changed key only warns, and the running process keeps its key.
#include <random>
#include <regex>
#include <set>

#include "tests/integration/harness.hpp"

namespace tern::test {
namespace {

// "AWSALB=<value>" from a response's Set-Cookie lines (empty when there is none).
std::string lb_cookie(const Response& r) {
  for (const std::string& line : find_all(r.headers, "Set-Cookie")) {
    std::smatch m;
    if (std::regex_match(line, m, std::regex(R"((AWSALB=[A-Za-z0-9_-]+); Max-Age=\d+; Path=/)"))) {
      return m[1].str();
    }
  }
  return {};
}

std::string random_key() {
  std::random_device rd;
  std::string key(32, '\0');
  for (char& c : key) c = static_cast<char>(rd() & 0xff);
  return key;
}

class FleetKey : public TernTest {
 protected:
  std::string config(const std::string& key_file) {
    ConfigSpec spec;
    spec.top = {"workers: 2", "fleet_key_file: " + key_file};
    spec.listeners = {ListenerSpec{}};
    TargetGroupSpec g;
    for (const Backend* b : {&a_, &b_, &c_}) g.targets.push_back(b->address());
    g.extra = {"stickiness: { enabled: true, type: lb_cookie, duration: 1h }"};
    spec.groups = {g};
    return to_yaml(spec);
  }

  // Starts the second instance; its listener's port.
  uint16_t start_second(const std::string& yaml) {
    second_ = std::make_unique<TernProcess>(yaml);
    EXPECT_TRUE(second_->wait_ready(Millis(15000))) << second_->log();
    const uint16_t port = second_->port("http", Millis(2000));
    EXPECT_NE(port, 0) << second_->log();
    return port;
  }

  // One session per backend, as instance `port` issues them: backend name -> cookie.
  static std::map<std::string, std::string> sessions(uint16_t port) {
    std::map<std::string, std::string> out;
    for (int i = 0; i < 12 && out.size() < 3; ++i) {
      const Response r = simple_get(port, "/");
      EXPECT_EQ(r.status, 200) << r.describe();
      const std::string cookie = lb_cookie(r);
      EXPECT_FALSE(cookie.empty()) << r.describe();
      out.emplace(r.header("X-Backend").value_or("?"), cookie);
    }
    EXPECT_EQ(out.size(), 3u) << "round robin did not reach every backend";
    return out;
  }

  void TearDown() override {
    if (HasFailure() && second_) {
      std::cerr << "----- second tern log (pid " << second_->pid() << ") -----\n"
                << second_->log() << "----- end of second tern log -----\n";
    }
    TernTest::TearDown();
  }

  Backend a_{"a"}, b_{"b"}, c_{"c"};
  TempDir keys_;
  std::unique_ptr<TernProcess> second_;
};

TEST_F(FleetKey, InstancesWithTheSameKeyHonourEachOthersCookies) {
  const std::string key_file = keys_.write("fleet.key", random_key());
  ASSERT_NO_FATAL_FAILURE(start_tern(config(key_file)));
  const uint16_t other = start_second(config(key_file));
  ASSERT_NE(other, 0);
  // A session on each backend, issued by the first instance, holds on the second.
  for (const auto& [backend, cookie] : sessions(port_)) {
    for (int i = 0; i < 6; ++i) {
      const Response r = simple_get(other, "/", {{"Cookie", cookie}});
      ASSERT_EQ(r.status, 200) << r.describe();
      EXPECT_EQ(r.header("X-Backend"), backend) << "request " << i << " with " << cookie;
      // The cookie the second instance refreshes is honoured by the first.
      const std::string refreshed = lb_cookie(r);
      ASSERT_FALSE(refreshed.empty()) << r.describe();
      EXPECT_EQ(simple_get(port_, "/", {{"Cookie", refreshed}}).header("X-Backend"), backend);
    }
  }
}

TEST_F(FleetKey, AnotherKeyDoesNotHonourTheCookie) {
  const std::string key_file = keys_.write("fleet.key", random_key());
  const std::string other_file = keys_.write("other.key", random_key());
  ASSERT_NO_FATAL_FAILURE(start_tern(config(key_file)));
  const uint16_t other = start_second(config(other_file));
  ASSERT_NE(other, 0);
  const std::map<std::string, std::string> issued = sessions(port_);
  const std::string& cookie = issued.begin()->second;
  // Not trusted at the second instance: balanced over all backends, a new cookie each time.
  std::set<std::string> seen;
  for (int i = 0; i < 6; ++i) {
    const Response r = simple_get(other, "/", {{"Cookie", cookie}});
    ASSERT_EQ(r.status, 200) << r.describe();
    seen.insert(r.header("X-Backend").value_or("?"));
    const std::string fresh = lb_cookie(r);
    ASSERT_FALSE(fresh.empty()) << r.describe();
    EXPECT_NE(fresh, cookie);
    // The new cookie pins at the instance that issued it.
    EXPECT_EQ(simple_get(other, "/", {{"Cookie", fresh}}).header("X-Backend"),
              r.header("X-Backend"));
  }
  EXPECT_EQ(seen.size(), 3u) << "a cookie of another fleet key pinned the session";
}

TEST_F(FleetKey, ReloadWithAnotherKeyWarnsAndKeepsTheRunningKey) {
  const std::string key_file = keys_.write("fleet.key", random_key());
  ASSERT_NO_FATAL_FAILURE(start_tern(config(key_file)));
  const std::map<std::string, std::string> issued = sessions(port_);
  const size_t mark = tern_->mark();
  keys_.write("fleet.key", random_key());
  ASSERT_EQ(tern_->reload(), ReloadOutcome::kReloaded) << tern_->log();
  EXPECT_TRUE(tern_->wait_for_line("applies at the next restart", Millis(5000), mark))
      << tern_->log();
  // Cookies issued before the reload still hold: the key did not change.
  for (const auto& [backend, cookie] : issued) {
    for (int i = 0; i < 3; ++i) {
      EXPECT_EQ(simple_get(port_, "/", {{"Cookie", cookie}}).header("X-Backend"), backend);
    }
  }
  // A key file that became too short is a reload error, like any config error.
  keys_.write("fleet.key", "short");
  const size_t before_short = tern_->mark();
  EXPECT_EQ(tern_->reload(), ReloadOutcome::kRejected) << tern_->log();
  // The errors are logged after the "reload rejected" line.
  EXPECT_TRUE(tern_->wait_for_line("fleet_key_file: '" + key_file + "' holds 5 bytes", Millis(5000),
                                   before_short))
      << tern_->log();
}

}  // namespace
}  // namespace tern::test
