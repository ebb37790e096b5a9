// The keys a process derives from the fleet key (config `fleet_key_file`) or draws at
// start-up, and the rule that a running process keeps them: made once, before any worker
// runs, and only compared (never replaced) on reload.
//
// Thread affinity: the control thread (made in main, kept by the Server).
// Ownership: a FleetKeys is a value; workers get copies of the keys they use.
#pragma once

#include <optional>
#include <string>

#include "config/config.hpp"
#include "lb/upstream/sticky_key.hpp"

namespace tern::app {

struct FleetKeys {
  std::string fleet_key_file;  // as configured at start-up; empty = keys drawn per process
  upstream::StickyKey sticky_cookie{};
};

// The keys of the start-up configuration; nullopt with `error` when OpenSSL can neither
// derive nor draw them.
std::optional<FleetKeys> make_fleet_keys(const config::Config& cfg, std::string& error);

// The warning to log when a reloaded configuration's fleet key differs from the one the
// process started with (added, removed, or other bytes); empty when it is the same.
std::string fleet_key_reload_warning(const FleetKeys& running, const config::Config& reloaded);

}  // namespace tern::app
