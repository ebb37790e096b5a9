// Stickiness cookie values: round trip, expiry, and that a client cannot forge or edit
// one (authenticated per group), for IPv4 and IPv6 targets.
#include "lb/upstream/sticky_cookie.hpp"

#include <gtest/gtest.h>

namespace tern::upstream {
namespace {

using boost::asio::ip::make_address;
using boost::asio::ip::tcp;

TEST(StickyCookie, RoundTripsIpv4AndIpv6) {
  for (const char* addr : {"10.0.1.17", "2001:db8::5", "::1"}) {
    const tcp::endpoint ep(make_address(addr), 8443);
    std::string v;
    append_sticky_value("app", ep, 2000, v);
    EXPECT_EQ(
        v.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos)
        << v;
    auto back = read_sticky_value("app", v, 1999);
    ASSERT_TRUE(back.has_value()) << addr;
    EXPECT_EQ(*back, ep);
  }
}

TEST(StickyCookie, ExpiresAtItsTime) {
  std::string v;
  append_sticky_value("app", tcp::endpoint(make_address("10.0.0.1"), 80), 1000, v);
  EXPECT_TRUE(read_sticky_value("app", v, 999).has_value());
  EXPECT_FALSE(read_sticky_value("app", v, 1000).has_value());
}

TEST(StickyCookie, BoundToItsGroup) {
  std::string v;
  append_sticky_value("app", tcp::endpoint(make_address("10.0.0.1"), 80), 1000, v);
  EXPECT_FALSE(read_sticky_value("api", v, 0).has_value());
}

TEST(StickyCookie, EveryEditedCharacterIsRejected) {
  std::string v;
  append_sticky_value("app", tcp::endpoint(make_address("10.0.0.1"), 80), 1000, v);
  for (size_t i = 0; i < v.size(); ++i) {
    std::string edited = v;
    edited[i] = edited[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(read_sticky_value("app", edited, 0).has_value()) << i;
  }
}

TEST(StickyCookie, GarbageIsRejected) {
  for (const char* junk : {"", "x", "AAAA", "not base64!",
                           "====", "AQAAAAAAAAPoAFAEChQAAQ"}) {  // a payload without its MAC
    EXPECT_FALSE(read_sticky_value("app", junk, 0).has_value()) << junk;
  }
  EXPECT_FALSE(read_sticky_value("app", std::string(4096, 'A'), 0).has_value());
}

}  // namespace
}  // namespace tern::upstream
