// The process's keys: derived from the fleet key or drawn per process, and a reload with
// another fleet key warns (the running key stays) rather than changing it.
#include "lb/app/fleet_keys.hpp"

#include <gtest/gtest.h>

#include <string>

#include "lb/core/key_derivation.hpp"

namespace tern::app {
namespace {

config::Config with_fleet_key(const std::string& file, const std::string& key) {
  config::Config cfg;
  cfg.fleet_key_file = file;
  cfg.fleet_key = key;
  return cfg;
}

const std::string kKey(32, 'a');

TEST(FleetKeys, StickinessKeyIsDerivedFromTheFleetKey) {
  std::string error;
  const auto keys = make_fleet_keys(with_fleet_key("/etc/tern/fleet.key", kKey), error);
  ASSERT_TRUE(keys) << error;
  EXPECT_EQ(keys->fleet_key_file, "/etc/tern/fleet.key");
  EXPECT_EQ(keys->sticky_cookie, core::derive_key(kKey, "tern stickiness cookie v1"));
}

TEST(FleetKeys, WithoutFleetKeyEachProcessDrawsItsOwn) {
  std::string error;
  const auto a = make_fleet_keys(config::Config{}, error);
  const auto b = make_fleet_keys(config::Config{}, error);
  ASSERT_TRUE(a && b) << error;
  EXPECT_EQ(a->fleet_key_file, "");
  EXPECT_NE(a->sticky_cookie, b->sticky_cookie);
}

TEST(FleetKeys, ReloadWithTheSameKeyIsQuiet) {
  std::string error;
  const auto keys = make_fleet_keys(with_fleet_key("/a/fleet.key", kKey), error);
  ASSERT_TRUE(keys);
  EXPECT_EQ(fleet_key_reload_warning(*keys, with_fleet_key("/a/fleet.key", kKey)), "");
  // The same bytes from another file are the same key.
  EXPECT_EQ(fleet_key_reload_warning(*keys, with_fleet_key("/b/copy.key", kKey)), "");
  const auto none = make_fleet_keys(config::Config{}, error);
  ASSERT_TRUE(none);
  EXPECT_EQ(fleet_key_reload_warning(*none, config::Config{}), "");
}

TEST(FleetKeys, ReloadWithAnotherKeyWarnsThatItAppliesAtTheNextRestart) {
  std::string error;
  const auto keys = make_fleet_keys(with_fleet_key("/a/fleet.key", kKey), error);
  const auto none = make_fleet_keys(config::Config{}, error);
  ASSERT_TRUE(keys && none);
  const std::string tail =
      "; the running process keeps its stickiness cookie key, the new one applies at the next "
      "restart";
  EXPECT_EQ(fleet_key_reload_warning(*keys, with_fleet_key("/a/fleet.key", kKey + "\n")),
            "the fleet key in /a/fleet.key changed" + tail);
  EXPECT_EQ(fleet_key_reload_warning(*keys, config::Config{}), "fleet_key_file was removed" + tail);
  EXPECT_EQ(fleet_key_reload_warning(*none, with_fleet_key("/a/fleet.key", kKey)),
            "fleet_key_file /a/fleet.key was added" + tail);
}

}  // namespace
}  // namespace tern::app
