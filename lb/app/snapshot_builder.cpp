#include "lb/app/snapshot_builder.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <cstring>
#include <span>

namespace tern::app {

namespace asio = boost::asio;

namespace {

int64_t steady_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string where(const config::Config& cfg, const config::Mark& m) {
  return cfg.file + ":" + std::to_string(m.line) + ":" + std::to_string(m.column) + ": ";
}

// An IP literal, or a name resolved now (once per load; targets are addresses).
bool resolve(const std::string& host, asio::ip::address& out, std::string& error) {
  boost::system::error_code ec;
  out = asio::ip::make_address(host, ec);
  if (!ec) return true;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &res);
  if (rc != 0 || res == nullptr) {
    error = "cannot resolve target host '" + host + "': " + gai_strerror(rc);
    return false;
  }
  if (res->ai_family == AF_INET) {
    auto* a = reinterpret_cast<sockaddr_in*>(res->ai_addr);
    out = asio::ip::address_v4(ntohl(a->sin_addr.s_addr));
  } else {
    auto* a = reinterpret_cast<sockaddr_in6*>(res->ai_addr);
    asio::ip::address_v6::bytes_type bytes;
    std::memcpy(bytes.data(), a->sin6_addr.s6_addr, 16);
    out = asio::ip::address_v6(bytes);
  }
  ::freeaddrinfo(res);
  return true;
}

http::XffMode xff_mode(config::XffMode m) {
  switch (m) {
    case config::XffMode::kPreserve:
      return http::XffMode::kPreserve;
    case config::XffMode::kRemove:
      return http::XffMode::kRemove;
    default:
      return http::XffMode::kAppend;
  }
}

// Compiles a listener's rules; errors are appended as FILE:LINE:COL: message.
std::shared_ptr<const router::CompiledRules> compile_rules(
    const config::Config& cfg, const config::Listener& listener,
    const router::CompiledRules::GroupResolver& resolve, std::vector<std::string>& errors) {
  router::CompileResult compiled = router::CompiledRules::compile(listener, resolve);
  for (const router::CompileError& e : compiled.errors) {
    errors.push_back(where(cfg, e.mark) + e.message);
  }
  return std::move(compiled.rules);
}

std::unique_ptr<proxy::PickCounters> pick_counters(const router::CompiledRules& rules,
                                                   int workers) {
  // std::vector<bool> has no contiguous storage to view as a span.
  const size_t n = rules.size();
  std::unique_ptr<bool[]> weighted(new bool[n]);
  for (size_t r = 0; r < n; ++r) {
    const router::Action& action = rules.routes()[r].action;
    weighted[r] = action.type == config::Action::Type::kForward && action.forward.groups.size() > 1;
  }
  return std::make_unique<proxy::PickCounters>(workers, std::span<const bool>(weighted.get(), n));
}

upstream::GroupSettings group_settings(const config::TargetGroup& g) {
  upstream::GroupSettings s;
  switch (g.load_balancing_algorithm) {
    case config::Algorithm::kRoundRobin:
      s.algorithm = upstream::Algorithm::kRoundRobin;
      break;
    case config::Algorithm::kLeastOutstandingRequests:
      s.algorithm = upstream::Algorithm::kLeastOutstandingRequests;
      break;
    case config::Algorithm::kWeightedRandom:
      s.algorithm = upstream::Algorithm::kWeightedRandom;
      break;
  }
  if (g.stickiness.enabled) {
    s.sticky = g.stickiness.type == config::StickinessType::kLbCookie
                   ? upstream::StickyKind::kLbCookie
                   : upstream::StickyKind::kAppCookie;
    s.sticky_duration = std::chrono::duration_cast<std::chrono::seconds>(g.stickiness.duration);
    s.app_cookie_name = g.stickiness.cookie_name;
  }
  s.slow_start = g.slow_start;
  s.eject_after = static_cast<uint32_t>(g.outlier_detection.consecutive_failures);
  return s;
}

// Slow start (ALB): a target registered into a group that already serves enters it; the
// first targets of a group, and every target at start-up, get their full share at once.
// With health checks, the HealthMonitor starts it when such a target turns healthy.
void start_slow_start(upstream::TargetGroup& group, const std::vector<upstream::Target*>& fresh,
                      bool startup, bool checked) {
  const auto slow_start = group.settings().slow_start;
  if (slow_start.count() == 0) return;
  int64_t until = 0;
  const int64_t now = steady_now_ms();
  bool serving = false;
  for (const auto& t : group.targets()) {
    if (std::find(fresh.begin(), fresh.end(), t.get()) == fresh.end()) serving = true;
  }
  for (const auto& t : group.targets()) {
    const bool is_fresh = std::find(fresh.begin(), fresh.end(), t.get()) != fresh.end();
    if (is_fresh && serving && !startup && !checked) {
      t->slow_start_begin_ms.store(now);
    }
    const int64_t begin = t->slow_start_begin_ms.load();
    if (begin != 0 && begin + slow_start.count() > now)
      until = std::max(until, begin + slow_start.count());
  }
  group.set_ramp_until(until);
}

}  // namespace

std::vector<std::string> check_rules(const config::Config& cfg) {
  std::vector<std::string> errors;
  for (const auto& l : cfg.listeners) compile_rules(cfg, l, {}, errors);
  return errors;
}

std::string listener_key(const config::Listener& listener) {
  if (listener.bind.port == 0) return listener.bind.text + "#" + listener.name;
  return listener.bind.text;
}

BuildResult build_snapshot(const config::Config& cfg, Registry& registry, int workers,
                           const std::vector<discovery::StateTarget>& restore) {
  BuildResult out;
  auto snap = std::make_shared<proxy::Snapshot>();
  std::vector<discovery::GroupSpec> specs;
  for (const auto& g : cfg.target_groups) {
    discovery::GroupSpec spec{g.name, {}, g.deregistration_delay};
    for (const auto& t : g.targets) {
      asio::ip::address addr;
      std::string error;
      if (!resolve(t.host, addr, error)) {
        out.errors.push_back(where(cfg, t.mark) + error);
        continue;
      }
      spec.file_targets.emplace_back(addr, t.port != 0 ? t.port : g.port.value_or(0));
    }
    specs.push_back(std::move(spec));
  }
  std::map<std::string, uint32_t, std::less<>> group_ids;  // index in snap->target_groups
  for (uint32_t i = 0; i < cfg.target_groups.size(); ++i) group_ids[cfg.target_groups[i].name] = i;
  const auto resolve = [&group_ids](std::string_view name) {
    auto it = group_ids.find(name);
    return it == group_ids.end() ? UINT32_MAX : it->second;
  };
  std::map<std::string, std::shared_ptr<proxy::ListenerState>> states;
  for (const auto& l : cfg.listeners) {
    proxy::ListenerRuntime rt;
    rt.name = l.name;
    rt.bind_key = listener_key(l);
    rt.port = l.bind.port;
    rt.idle_timeout = l.idle_timeout;
    rt.header_timeout = l.limits.header_timeout;
    rt.limits = {l.limits.max_request_line, l.limits.max_header_bytes, l.limits.max_body_bytes};
    rt.max_connections = l.limits.max_connections;
    rt.xff = xff_mode(l.xff_header_processing);
    rt.https = l.protocol == config::Protocol::kHttps;
    rt.rules = compile_rules(cfg, l, resolve, out.errors);
    if (rt.rules) rt.picks = pick_counters(*rt.rules, workers);
    auto old = registry.listeners.find(rt.bind_key);
    rt.state =
        old != registry.listeners.end() ? old->second : std::make_shared<proxy::ListenerState>();
    states[rt.bind_key] = rt.state;
    snap->listeners.push_back(std::move(rt));
  }
  if (!out.errors.empty()) return out;
  // Nothing can fail from here on: the registry changes only for a build that succeeds.
  const bool startup = registry.generation == 0;
  const auto now = discovery::Clock::now();
  out.events = registry.targets.configure(specs, now);
  std::map<std::string, std::shared_ptr<upstream::RetryBudgets>> next_budgets;
  for (const discovery::StateTarget& t : restore) {
    boost::system::error_code ec;
    const asio::ip::address addr = asio::ip::make_address(t.ip, ec);
    discovery::Outcome o;
    if (!ec)
      o = registry.targets.add(t.group, {asio::ip::tcp::endpoint(addr, t.port)}, discovery::kApi,
                               now);
    if (ec || o.status != 200) {
      out.warnings.push_back("state file: target " + t.ip + ":" + std::to_string(t.port) +
                             " of \"" + t.group +
                             "\" not restored: " + (ec ? ec.message() : o.error));
      continue;
    }
    for (auto& e : o.events) out.events.push_back(std::move(e));
  }
  for (const auto& g : cfg.target_groups) {
    std::vector<upstream::Target*> fresh;  // targets this build registers
    for (const auto& e : out.events) {
      if (e.kind == discovery::Event::Kind::kAdded && e.group == g.name)
        fresh.push_back(e.target.get());
    }
    std::shared_ptr<upstream::RetryBudgets>& budgets = next_budgets[g.name];
    if (auto old = registry.budgets.find(g.name); old != registry.budgets.end())
      budgets = old->second;
    auto group = std::make_shared<upstream::TargetGroup>(g.name, registry.targets.members(g.name),
                                                         workers, group_settings(g), budgets);
    budgets = group->retry_budgets();
    start_slow_start(*group, fresh, startup, g.health_check.enabled);
    snap->target_groups.push_back(std::move(group));
  }
  registry.listeners = std::move(states);
  registry.budgets = std::move(next_budgets);
  snap->generation = ++registry.generation;
  out.snapshot = std::move(snap);
  return out;
}

}  // namespace tern::app
