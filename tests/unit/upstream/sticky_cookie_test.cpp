// Stickiness cookie values: round trip, expiry, and that a client cannot forge or edit
// one (authenticated per group), for IPv4 and IPv6 targets; the key from a fleet key
// (shared by instances) or drawn per process.
#include "lb/upstream/sticky_cookie.hpp"

#include <gtest/gtest.h>

#include "lb/core/key_derivation.hpp"

namespace tern::upstream {
namespace {

using boost::asio::ip::make_address;
using boost::asio::ip::tcp;

const StickyKey kKey = *make_sticky_key(std::string(32, 'f'));

TEST(StickyCookie, RoundTripsIpv4AndIpv6) {
  for (const char* addr : {"10.0.1.17", "2001:db8::5", "::1"}) {
    const tcp::endpoint ep(make_address(addr), 8443);
    std::string v;
    append_sticky_value(kKey, "app", ep, 2000, v);
    EXPECT_EQ(
        v.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos)
        << v;
    auto back = read_sticky_value(kKey, "app", v, 1999);
    ASSERT_TRUE(back.has_value()) << addr;
    EXPECT_EQ(*back, ep);
  }
}

TEST(StickyCookie, ExpiresAtItsTime) {
  std::string v;
  append_sticky_value(kKey, "app", tcp::endpoint(make_address("10.0.0.1"), 80), 1000, v);
  EXPECT_TRUE(read_sticky_value(kKey, "app", v, 999).has_value());
  EXPECT_FALSE(read_sticky_value(kKey, "app", v, 1000).has_value());
}

TEST(StickyCookie, BoundToItsGroup) {
  std::string v;
  append_sticky_value(kKey, "app", tcp::endpoint(make_address("10.0.0.1"), 80), 1000, v);
  EXPECT_FALSE(read_sticky_value(kKey, "api", v, 0).has_value());
}

TEST(StickyCookie, EveryEditedCharacterIsRejected) {
  std::string v;
  append_sticky_value(kKey, "app", tcp::endpoint(make_address("10.0.0.1"), 80), 1000, v);
  for (size_t i = 0; i < v.size(); ++i) {
    std::string edited = v;
    edited[i] = edited[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(read_sticky_value(kKey, "app", edited, 0).has_value()) << i;
  }
}

TEST(StickyCookie, GarbageIsRejected) {
  for (const char* junk : {"", "x", "AAAA", "not base64!",
                           "====", "AQAAAAAAAAPoAFAEChQAAQ"}) {  // a payload without its MAC
    EXPECT_FALSE(read_sticky_value(kKey, "app", junk, 0).has_value()) << junk;
  }
  EXPECT_FALSE(read_sticky_value(kKey, "app", std::string(4096, 'A'), 0).has_value());
}

TEST(StickyKey, FleetKeyGivesTheSameKeyEverywhere) {
  const std::string fleet = "0123456789abcdef0123456789abcdef";
  const auto a = make_sticky_key(fleet);
  const auto b = make_sticky_key(fleet);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(*a, core::derive_key(fleet, kStickyKeyLabel));
  // A cookie of one instance is honoured by another with the same fleet key...
  const tcp::endpoint ep(make_address("10.0.1.17"), 8000);
  std::string v;
  append_sticky_value(*a, "app", ep, 2000, v);
  EXPECT_EQ(read_sticky_value(*b, "app", v, 1000), ep);
  // ...and by no instance with another key.
  const auto other = make_sticky_key(fleet.substr(1) + "!");
  ASSERT_TRUE(other);
  EXPECT_FALSE(read_sticky_value(*other, "app", v, 1000).has_value());
}

TEST(StickyKey, WithoutFleetKeyEachProcessDrawsItsOwn) {
  const auto a = make_sticky_key("");
  const auto b = make_sticky_key("");
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
  EXPECT_NE(*a, StickyKey{});
  std::string v;
  append_sticky_value(*a, "app", tcp::endpoint(make_address("::1"), 80), 2000, v);
  EXPECT_FALSE(read_sticky_value(*b, "app", v, 1000).has_value());
}

}  // namespace
}  // namespace tern::upstream
