// A snapshot: one immutable generation of runtime configuration (listeners with what
// they route to, target groups), built by the control thread from a Config and posted to
// every worker. In-flight streams keep the snapshot they started with alive.
//
// Thread affinity: immutable once published, except the per-worker slots inside target
// groups and the shared listener connection counters (atomics). Ownership:
// shared_ptr<const Snapshot>, held by workers and by connections.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "lb/http/parser.hpp"
#include "lb/http/request_encoder.hpp"
#include "lb/proxy/pick_counters.hpp"
#include "lb/router/compiled_rules.hpp"
#include "lb/upstream/target_group.hpp"

namespace tern::proxy {

// State of a listener that outlives snapshots (same bind address = same listener).
struct ListenerState {
  // Open client connections over all workers: checked against max_connections on
  // accept only (never per request), hence a shared atomic.
  std::atomic<uint64_t> open_connections{0};
  std::atomic<uint64_t> refused_connections{0};
};

struct ListenerRuntime {
  std::string name;
  std::string bind_key;  // the bind address as written; identity across reloads
  uint16_t port = 0;     // actual port
  std::chrono::milliseconds idle_timeout{60000};
  std::chrono::milliseconds header_timeout{60000};
  http::ParserLimits limits;
  uint64_t max_connections = 0;
  http::XffMode xff = http::XffMode::kAppend;
  bool https = false;  // #{protocol} of redirects, X-Forwarded-Proto
  // Rules and default action; forward actions name groups by their index in
  // Snapshot::target_groups (TargetGroupRef::id).
  std::shared_ptr<const router::CompiledRules> rules;
  std::unique_ptr<PickCounters> picks;  // per worker, per route of `rules`
  std::shared_ptr<ListenerState> state;
};

struct Snapshot {
  uint64_t generation = 0;
  std::vector<ListenerRuntime> listeners;
  std::vector<std::shared_ptr<upstream::TargetGroup>> target_groups;  // by TargetGroupRef::id

  const ListenerRuntime* find_listener(std::string_view bind_key) const {
    for (const auto& l : listeners) {
      if (l.bind_key == bind_key) return &l;
    }
    return nullptr;
  }
};

}  // namespace tern::proxy
