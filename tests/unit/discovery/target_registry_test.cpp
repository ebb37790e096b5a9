// The target registry: merging the file and the API per group, identity across changes,
// whole-or-nothing refusals, and draining timelines on a made-up clock.
#include "lb/discovery/target_registry.hpp"

#include <gtest/gtest.h>

namespace tern::discovery {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Endpoint = boost::asio::ip::tcp::endpoint;

Endpoint ep(const char* ip, uint16_t port) {
  return {boost::asio::ip::make_address(ip), port};
}

std::vector<std::string> ids(const std::vector<std::shared_ptr<upstream::Target>>& targets) {
  std::vector<std::string> out;
  for (const auto& t : targets) out.push_back(t->id);
  return out;
}

std::vector<std::string> kinds(const std::vector<Event>& events) {
  static const char* names[] = {"added", "reactivated", "draining", "removed"};
  std::vector<std::string> out;
  for (const auto& e : events) {
    out.push_back(std::string(names[static_cast<int>(e.kind)]) + " " + e.group + " " +
                  e.target->id);
  }
  return out;
}

const Clock::time_point t0 = Clock::time_point(seconds(1000));

TargetRegistry configured(milliseconds delay = seconds(300)) {
  TargetRegistry r;
  r.configure({{"app", {ep("10.0.0.1", 80), ep("10.0.0.2", 80)}, delay}, {"other", {}, delay}}, t0);
  return r;
}

TEST(TargetRegistry, FileTargetsAreMembersInFileOrder) {
  TargetRegistry r;
  auto events = r.configure({{"app", {ep("10.0.0.2", 80), ep("10.0.0.1", 80)}, seconds(5)}}, t0);
  EXPECT_EQ(kinds(events),
            (std::vector<std::string>{"added app 10.0.0.2:80", "added app 10.0.0.1:80"}));
  EXPECT_EQ(ids(r.members("app")), (std::vector<std::string>{"10.0.0.2:80", "10.0.0.1:80"}));
  EXPECT_TRUE(r.has_group("app"));
  EXPECT_FALSE(r.has_group("nope"));
}

TEST(TargetRegistry, ApiRegistrationJoinsAfterFileTargets) {
  TargetRegistry r = configured();
  Outcome o = r.add("app", {ep("10.0.0.3", 8000), ep("::1", 8000)}, kApi, t0);
  EXPECT_EQ(o.status, 200);
  EXPECT_EQ(kinds(o.events),
            (std::vector<std::string>{"added app 10.0.0.3:8000", "added app [::1]:8000"}));
  EXPECT_EQ(ids(r.members("app")), (std::vector<std::string>{"10.0.0.1:80", "10.0.0.2:80",
                                                             "10.0.0.3:8000", "[::1]:8000"}));
  auto api = r.registered(kApi);
  ASSERT_EQ(api.size(), 2u);
  EXPECT_EQ(api[0].first, "app");
  EXPECT_EQ(api[0].second, ep("10.0.0.3", 8000));
}

TEST(TargetRegistry, RegisteringAFileTargetIsOneTargetWithTwoSources) {
  TargetRegistry r = configured();
  auto before = r.members("app");
  Outcome o = r.add("app", {ep("10.0.0.1", 80)}, kApi, t0);
  EXPECT_TRUE(o.events.empty());
  EXPECT_EQ(r.members("app"), before);  // same Target objects, same order
  // Removing it from the API keeps it (the file still has it)...
  o = r.remove("app", {ep("10.0.0.1", 80)}, kApi, t0);
  EXPECT_EQ(o.status, 200);
  EXPECT_TRUE(o.events.empty());
  EXPECT_EQ(r.members("app").size(), 2u);
  // ...and a reload without it in the file keeps it while the API has it.
  r.add("app", {ep("10.0.0.1", 80)}, kApi, t0);
  auto events = r.configure({{"app", {ep("10.0.0.2", 80)}, seconds(300)}}, t0);
  EXPECT_TRUE(std::none_of(events.begin(), events.end(), [](const Event& e) {
    return e.kind == Event::Kind::kDraining && e.target->id == "10.0.0.1:80";
  }));
  EXPECT_EQ(ids(r.members("app")), (std::vector<std::string>{"10.0.0.1:80", "10.0.0.2:80"}));
}

TEST(TargetRegistry, FileTargetCannotBeDeregisteredAndNothingChanges) {
  TargetRegistry r = configured();
  r.add("app", {ep("10.0.0.3", 80)}, kApi, t0);
  Outcome o = r.remove("app", {ep("10.0.0.3", 80), ep("10.0.0.1", 80)}, kApi, t0);
  EXPECT_EQ(o.status, 409);
  EXPECT_NE(o.error.find("10.0.0.1:80"), std::string::npos);
  EXPECT_NE(o.error.find("config file"), std::string::npos);
  EXPECT_TRUE(o.events.empty());
  EXPECT_EQ(r.members("app").size(), 3u);  // 10.0.0.3 did not start draining either
  EXPECT_TRUE(r.draining("app").empty());
}

TEST(TargetRegistry, UnknownGroupIs404AndUnknownTargetsAreIgnored) {
  TargetRegistry r = configured();
  EXPECT_EQ(r.add("nope", {ep("10.0.0.3", 80)}, kApi, t0).status, 404);
  EXPECT_EQ(r.remove("nope", {ep("10.0.0.3", 80)}, kApi, t0).status, 404);
  Outcome o = r.remove("app", {ep("192.0.2.9", 80)}, kApi, t0);
  EXPECT_EQ(o.status, 200);
  EXPECT_TRUE(o.events.empty());
}

TEST(TargetRegistry, DeregisteredTargetDrainsForTheDelayThenLeaves) {
  TargetRegistry r = configured(seconds(30));
  r.add("app", {ep("10.0.0.3", 80)}, kApi, t0);
  const auto target = r.members("app")[2];
  Outcome o = r.remove("app", {ep("10.0.0.3", 80)}, kApi, t0 + seconds(1));
  EXPECT_EQ(kinds(o.events), (std::vector<std::string>{"draining app 10.0.0.3:80"}));
  EXPECT_EQ(r.members("app").size(), 2u);
  auto d = r.draining("app");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].target, target);
  EXPECT_EQ(d[0].until, t0 + seconds(31));
  EXPECT_FALSE(d[0].until_idle);
  EXPECT_EQ(r.next_deadline(), t0 + seconds(31));
  EXPECT_TRUE(r.registered(kApi).empty());  // draining targets are not persisted
  // Deregistering again while it drains changes nothing.
  EXPECT_TRUE(r.remove("app", {ep("10.0.0.3", 80)}, kApi, t0 + seconds(2)).events.empty());
  EXPECT_TRUE(r.expire(t0 + seconds(30)).empty());
  EXPECT_EQ(kinds(r.expire(t0 + seconds(31))),
            (std::vector<std::string>{"removed app 10.0.0.3:80"}));
  EXPECT_TRUE(r.draining("app").empty());
  EXPECT_FALSE(r.next_deadline());
}

TEST(TargetRegistry, DelayZeroWaitsForIdleNotForTheClock) {
  TargetRegistry r = configured(milliseconds(0));
  r.add("app", {ep("10.0.0.3", 80)}, kApi, t0);
  const auto target = r.members("app")[2];
  r.remove("app", {ep("10.0.0.3", 80)}, kApi, t0);
  EXPECT_TRUE(r.any_until_idle());
  EXPECT_FALSE(r.next_deadline());
  EXPECT_TRUE(r.expire(t0 + seconds(3600)).empty());  // never by the clock
  EXPECT_TRUE(r.finish_drain("app", target.get()));
  EXPECT_FALSE(r.any_until_idle());
  EXPECT_FALSE(r.finish_drain("app", target.get()));
}

TEST(TargetRegistry, RegisteringADrainingTargetBringsItBackAsTheSameTarget) {
  TargetRegistry r = configured(seconds(30));
  r.add("app", {ep("10.0.0.3", 80)}, kApi, t0);
  const auto target = r.members("app")[2];
  r.remove("app", {ep("10.0.0.3", 80)}, kApi, t0);
  Outcome o = r.add("app", {ep("10.0.0.3", 80)}, kApi, t0 + seconds(5));
  EXPECT_EQ(kinds(o.events), (std::vector<std::string>{"reactivated app 10.0.0.3:80"}));
  ASSERT_EQ(r.members("app").size(), 3u);
  EXPECT_EQ(r.members("app")[2], target);
  EXPECT_TRUE(r.draining("app").empty());
  EXPECT_TRUE(r.expire(t0 + seconds(60)).empty());
  EXPECT_FALSE(r.finish_drain("app", target.get()));
}

TEST(TargetRegistry, ReloadDrainsTargetsLeavingTheFileWithTheNewDelay) {
  TargetRegistry r = configured(seconds(300));
  r.add("app", {ep("10.0.0.9", 80)}, kApi, t0);
  auto events = r.configure({{"app", {ep("10.0.0.2", 80), ep("10.0.0.4", 80)}, seconds(10)}}, t0);
  EXPECT_EQ(kinds(events),
            (std::vector<std::string>{"draining app 10.0.0.1:80", "added app 10.0.0.4:80"}));
  EXPECT_EQ(ids(r.members("app")),
            (std::vector<std::string>{"10.0.0.2:80", "10.0.0.9:80", "10.0.0.4:80"}));
  auto d = r.draining("app");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].target->id, "10.0.0.1:80");
  EXPECT_EQ(d[0].until, t0 + seconds(10));
  EXPECT_FALSE(r.has_group("other"));  // removed by the reload
  EXPECT_EQ(r.registered(kApi).size(), 1u);
}

TEST(TargetRegistry, RemovedGroupDropsItsTargets) {
  TargetRegistry r = configured();
  r.add("other", {ep("10.0.1.1", 80)}, kApi, t0);
  auto events = r.configure({{"app", {ep("10.0.0.1", 80), ep("10.0.0.2", 80)}, seconds(300)}}, t0);
  EXPECT_EQ(kinds(events), (std::vector<std::string>{"removed other 10.0.1.1:80"}));
  EXPECT_TRUE(r.registered(kApi).empty());
}

TEST(TargetRegistry, IdsAsUsersSeeThem) {
  EXPECT_EQ(target_id(ep("10.0.0.1", 80)), "10.0.0.1:80");
  EXPECT_EQ(target_id(ep("2001:db8::1", 443)), "[2001:db8::1]:443");
}

}  // namespace
}  // namespace tern::discovery
