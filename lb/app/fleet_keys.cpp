#include "lb/app/fleet_keys.hpp"

#include "lb/upstream/sticky_cookie.hpp"

namespace tern::app {

std::optional<FleetKeys> make_fleet_keys(const config::Config& cfg, std::string& error) {
  auto sticky = upstream::make_sticky_key(cfg.fleet_key);
  if (!sticky) {
    error = cfg.fleet_key.empty()
                ? "cannot draw the stickiness cookie key: no random bytes from OpenSSL"
                : "cannot derive the stickiness cookie key from fleet_key_file " +
                      cfg.fleet_key_file + ": HKDF-SHA256 unavailable in OpenSSL";
    return std::nullopt;
  }
  return FleetKeys{cfg.fleet_key_file, *sticky};
}

std::string fleet_key_reload_warning(const FleetKeys& running, const config::Config& reloaded) {
  // The running key is compared through what it derives, so the fleet key's bytes are
  // not kept for the life of the process.
  const bool was_shared = !running.fleet_key_file.empty();
  const bool is_shared = !reloaded.fleet_key.empty();
  if (!was_shared && !is_shared) return {};
  if (was_shared && is_shared &&
      upstream::make_sticky_key(reloaded.fleet_key) == running.sticky_cookie) {
    return {};
  }
  std::string what = !is_shared   ? "fleet_key_file was removed"
                     : was_shared ? "the fleet key in " + reloaded.fleet_key_file + " changed"
                                  : "fleet_key_file " + reloaded.fleet_key_file + " was added";
  return what +
         "; the running process keeps its stickiness cookie key, the new one applies at the "
         "next restart";
}

}  // namespace tern::app
