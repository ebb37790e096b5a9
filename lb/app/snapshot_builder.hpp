// Turns a validated Config into a Snapshot: resolves the file's target addresses and
// merges them into the TargetRegistry (with the targets registered through the API; those
// that left the file start draining), reuses Target and ListenerState objects by identity
// so pools, counters and health survive reloads, and compiles each listener's rules
// (router::CompiledRules) with its forward actions resolved to indices in
// Snapshot::target_groups.
//
// Thread affinity: the control thread only. Ownership: the Registry lives in the Server
// for the life of the process; built snapshots are shared with workers.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "lb/discovery/state_file.hpp"
#include "lb/discovery/target_registry.hpp"
#include "lb/proxy/snapshot.hpp"

namespace tern::app {

struct Registry {
  discovery::TargetRegistry targets;                                       // every source
  std::map<std::string, std::shared_ptr<upstream::RetryBudgets>> budgets;  // by group
  std::map<std::string, std::shared_ptr<proxy::ListenerState>> listeners;  // bind key
  uint64_t generation = 0;
};

struct BuildResult {
  std::shared_ptr<proxy::Snapshot> snapshot;
  std::vector<std::string> errors;       // FILE:LINE:COL: message
  std::vector<discovery::Event> events;  // membership changes this build made
  std::vector<std::string> warnings;     // restored targets that could not be restored
};

// A listener's identity across reloads: its bind address, so a renamed listener keeps its
// socket. Port 0 ("any free port") is not an address: there the name tells them apart.
std::string listener_key(const config::Listener& listener);

// Compiles every listener's rules as build_snapshot does (`tern --check`): the errors the
// loader cannot see (RE2 syntax, rewrites naming missing groups), as FILE:LINE:COL: message.
std::vector<std::string> check_rules(const config::Config& cfg);

// Builds without publishing: the registry is only updated when the build succeeds.
// Listener ports are left as configured; the Server fills in bound ports. `restore`: the
// API registrations of the state file, registered before the groups are built (start-up).
BuildResult build_snapshot(const config::Config& cfg, Registry& registry, int workers,
                           const std::vector<discovery::StateTarget>& restore = {});

}  // namespace tern::app
