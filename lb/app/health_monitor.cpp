#include "lb/app/health_monitor.hpp"

#include <algorithm>
#include <chrono>

#include "health/fail_open.hpp"
#include "lb/core/log.hpp"

namespace tern::app {

namespace asio = boost::asio;
using std::chrono::steady_clock;

namespace {

int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             steady_clock::now().time_since_epoch())
      .count();
}

const char* algorithm_name(config::Algorithm a) {
  switch (a) {
    case config::Algorithm::kRoundRobin:
      return "round_robin";
    case config::Algorithm::kLeastOutstandingRequests:
      return "least_outstanding_requests";
    case config::Algorithm::kWeightedRandom:
      return "weighted_random";
  }
  return "round_robin";
}

health::OutlierPolicy outlier_policy(const config::OutlierDetection& o) {
  health::OutlierPolicy p;
  // Workers count the failures in a row and report once per `consecutive_failures` of
  // them: one report is one ejection-worthy run.
  p.consecutive_failures = o.consecutive_failures > 0 ? 1 : 0;
  p.base_ejection_time = o.base_ejection_time;
  p.max_ejection_time = o.max_ejection_time;
  p.max_ejection_percent = o.max_ejection_percent;
  return p;
}

std::string_view group_of(std::string_view key) {
  return key.substr(0, key.find('|'));
}

}  // namespace

std::string target_key(std::string_view group, const upstream::Target& target) {
  std::string key(group);
  key.push_back('|');
  key.append(target.id);
  return key;
}

HealthMonitor::HealthMonitor(asio::io_context& io)
    : io_(io),
      checker_(
          io,
          [this](const std::string& key, const health::TargetHealth& h, bool became_healthy) {
            on_health(key, h, became_healthy);
          },
          [](std::string_view what, std::exception_ptr e) { core::log_task_failure(what, e); }),
      uneject_timer_(io) {}

HealthMonitor::~HealthMonitor() {
  stop();
}

void HealthMonitor::stop() {
  if (stopped_) return;
  stopped_ = true;
  uneject_timer_.cancel();
  checker_.stop();
}

void HealthMonitor::apply(const config::Config& cfg, const proxy::Snapshot& snapshot,
                          bool startup) {
  std::set<std::string> known;
  for (const auto& [name, g] : groups_) {
    for (const auto& t : g.group->targets()) known.insert(target_key(name, *t));
  }
  std::map<std::string, Group, std::less<>> next;
  for (const auto& group : snapshot.target_groups) {
    const auto c =
        std::find_if(cfg.target_groups.begin(), cfg.target_groups.end(),
                     [&](const config::TargetGroup& x) { return x.name == group->name(); });
    if (c == cfg.target_groups.end()) continue;  // the builder made one per config group
    Group g;
    if (auto old = groups_.find(group->name()); old != groups_.end()) {
      g.outliers = std::move(old->second.outliers);
      g.warned = old->second.warned;
    }
    g.group = group;
    g.check = c->health_check;
    g.algorithm = algorithm_name(c->load_balancing_algorithm);
    g.outliers.set_policy(outlier_policy(c->outlier_detection));
    std::vector<std::string> keys;
    for (const auto& t : group->targets()) {
      std::string key = target_key(group->name(), *t);
      if (!startup && !known.count(key) && c->slow_start.count() > 0 && c->health_check.enabled) {
        ramp_when_healthy_.insert(key);
      }
      keys.push_back(std::move(key));
    }
    g.outliers.set_targets(keys);
    g.keys = std::move(keys);
    index_targets(group->name(), g);
    next.emplace(group->name(), std::move(g));
  }
  groups_ = std::move(next);
  order_.clear();
  for (const auto& group : snapshot.target_groups) {
    if (groups_.count(group->name())) order_.push_back(group->name());
  }
  std::erase_if(ramp_when_healthy_, [&](const std::string& key) {
    auto it = groups_.find(group_of(key));
    if (it == groups_.end()) return true;
    const auto& targets = it->second.group->targets();
    return std::none_of(targets.begin(), targets.end(),
                        [&](const auto& t) { return target_key(it->first, *t) == key; });
  });
  update_checker();
  for (auto& [name, g] : groups_) refresh(g);
  arm_uneject();
}

void HealthMonitor::update_checker() {
  std::vector<health::CheckedGroup> checked;
  for (const std::string& name : order_) {
    const Group& g = groups_.at(name);
    health::CheckedGroup cg{name, g.check, {}};
    for (const auto& t : g.group->targets())
      cg.targets.push_back({target_key(name, *t), t->endpoint});
    checked.push_back(std::move(cg));
  }
  batching_ = true;
  checker_.update(std::move(checked));
  batching_ = false;
}

void HealthMonitor::index_targets(const std::string& name, Group& g) {
  const auto& targets = g.group->targets();
  if (g.keys.size() != targets.size()) {
    g.keys.clear();
    for (const auto& t : targets) g.keys.push_back(target_key(name, *t));
  }
  g.index.clear();
  g.index.reserve(g.keys.size());
  for (size_t i = 0; i < g.keys.size(); ++i) g.index.emplace(g.keys[i], i);
}

void HealthMonitor::refresh_one(Group& g, const std::string& key) {
  auto it = g.index.find(key);
  upstream::RoutableSet& bits = g.group->routable();
  if (it == g.index.end() || g.fail_open) {
    refresh(g);
    return;
  }
  const bool ok = health::routable(state_of(key)) && !g.outliers.ejected(key);
  if (!ok && bits.test(it->second) && bits.count() == 1) {
    refresh(g);  // the last routable target goes: the group fails open
    return;
  }
  bits.set(it->second, ok);
}

void HealthMonitor::members_changed(const std::string& group,
                                    const std::vector<upstream::Target*>& fresh) {
  auto it = groups_.find(group);
  if (it == groups_.end()) return;
  Group& g = it->second;
  std::vector<std::string> keys;
  keys.reserve(g.group->targets().size());
  for (const auto& t : g.group->targets()) keys.push_back(target_key(group, *t));
  g.outliers.set_targets(keys);
  g.keys = std::move(keys);
  index_targets(group, g);
  const auto slow_start = g.group->settings().slow_start;
  std::erase_if(ramp_when_healthy_, [&](const std::string& key) {
    return group_of(key) == group && std::find(keys.begin(), keys.end(), key) == keys.end();
  });
  for (upstream::Target* t : fresh) {
    t->consecutive_failures.store(0);
    if (slow_start.count() == 0) continue;
    if (g.check.enabled) {
      ramp_when_healthy_.insert(target_key(group, *t));
    } else {
      start_ramp(g, *t);
    }
  }
  // New targets' initial health is published from inside update() (batched): the
  // group's bits are computed once, after it.
  update_checker();
  refresh(g);
}

health::State HealthMonitor::state_of(const std::string& key) const {
  const health::TargetHealth* h = checker_.find(key);
  return h ? h->state() : health::State::kInitial;
}

void HealthMonitor::refresh(Group& g) {
  const auto& targets = g.group->targets();
  std::vector<health::State> states;
  states.reserve(targets.size());
  for (size_t i = 0; i < targets.size(); ++i) states.push_back(state_of(g.keys[i]));
  // Routable: healthy (or checks disabled) and not ejected. When that leaves none, the
  // group fails open and uses every registered target (ALB), ejected ones included.
  bool any = false;
  for (size_t i = 0; i < targets.size(); ++i) {
    const bool ok = health::routable(states[i]) && !g.outliers.ejected(g.keys[i]);
    any = any || ok;
  }
  const bool fail_open = !any && !targets.empty();
  // All targets still `initial` (start-up, a new group) is the normal way to begin, not
  // worth a warning; failing open because targets failed is.
  const bool failed = std::any_of(states.begin(), states.end(),
                                  [](health::State s) { return s == health::State::kUnhealthy; });
  g.fail_open = fail_open;
  for (size_t i = 0; i < targets.size(); ++i) {
    const std::string& key = g.keys[i];
    const bool ok = fail_open ? health::registered(states[i])
                              : health::routable(states[i]) && !g.outliers.ejected(key);
    g.group->routable().set(i, ok);
  }
  if (fail_open && failed && !g.warned) {
    core::log_warn("target group \"" + g.group->name() +
                   "\" has no healthy target: failing open to all " +
                   std::to_string(targets.size()));
    g.warned = true;
  } else if (!fail_open && g.warned) {
    core::log_info("target group \"" + g.group->name() + "\" has healthy targets again");
    g.warned = false;
  }
}

void HealthMonitor::on_health(const std::string& key, const health::TargetHealth& h,
                              bool became_healthy) {
  auto it = groups_.find(group_of(key));
  if (it == groups_.end()) return;
  Group& g = it->second;
  if (became_healthy && ramp_when_healthy_.erase(key) > 0) {
    if (auto at = g.index.find(key); at != g.index.end()) {
      start_ramp(g, *g.group->targets()[at->second]);
    }
  }
  if (!batching_) refresh_one(g, key);
  // Logged once workers can see it: a log reader may act on the line at once.
  const std::string where = "target " + key.substr(key.find('|') + 1) + " of \"" + it->first + "\"";
  if (h.reason() == health::Reason::kNone) {
    core::log_info(where + " is " + std::string(health::to_string(h.state())));
  } else if (h.state() != health::State::kInitial) {
    core::log_info(where + " is " + std::string(health::to_string(h.state())) + " (" +
                   std::string(h.code()) + ": " + h.description() + ")");
  }
}

void HealthMonitor::start_ramp(Group& g, upstream::Target& target) {
  // ALB: a target enters slow start only when another healthy target, not itself ramping,
  // carries the traffic meanwhile.
  const auto window = g.group->settings().slow_start;
  if (window.count() == 0) return;
  const int64_t now = steady_ms();
  bool carried = false;
  for (const auto& t : g.group->targets()) {
    if (t.get() == &target) continue;
    const int64_t begin = t->slow_start_begin_ms.load();
    const bool ramping = begin != 0 && now - begin < window.count();
    carried = carried || (health::routable(state_of(target_key(g.group->name(), *t))) && !ramping);
  }
  if (!carried) return;
  target.slow_start_begin_ms.store(now);
  g.group->set_ramp_until(std::max(g.group->ramp_until(), now + window.count()));
  core::log_info("target " + target.id + " of \"" + g.group->name() + "\" starts a " +
                 std::to_string(window.count() / 1000) + " s slow start");
}

void HealthMonitor::on_failing(const std::shared_ptr<upstream::Target>& target,
                               const std::string& group) {
  if (stopped_) return;
  auto it = groups_.find(group);
  if (it == groups_.end()) return;
  Group& g = it->second;
  const auto& targets = g.group->targets();
  if (std::none_of(targets.begin(), targets.end(), [&](const auto& t) { return t == target; })) {
    return;  // from an older snapshot: the target left the group
  }
  const std::string key = target_key(group, *target);
  if (!g.outliers.record_failure(key, steady_clock::now())) return;
  refresh(g);
  core::log_warn("target " + target->id + " of \"" + group + "\" ejected after " +
                 std::to_string(target->consecutive_failures.load()) +
                 " connection failures in a row (ejection " +
                 std::to_string(g.outliers.multiplier(key, steady_clock::now())) + ")");
  arm_uneject();
}

void HealthMonitor::arm_uneject() {
  if (stopped_) return;
  std::optional<steady_clock::time_point> next;
  for (const auto& [name, g] : groups_) {
    if (auto t = g.outliers.next_unejection(); t && (!next || *t < *next)) next = t;
  }
  if (!next) return;
  uneject_timer_.expires_at(*next);
  uneject_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) uneject();
  });
}

void HealthMonitor::uneject() {
  const auto now = steady_clock::now();
  for (auto& [name, g] : groups_) {
    const std::vector<std::string> back = g.outliers.tick(now);
    if (back.empty()) continue;
    for (const auto& t : g.group->targets()) {
      const std::string key = target_key(name, *t);
      if (std::find(back.begin(), back.end(), key) == back.end()) continue;
      t->consecutive_failures.store(0);
      core::log_info("target " + t->id + " of \"" + name + "\" returns after its ejection");
    }
    refresh(g);
  }
  arm_uneject();
}

std::vector<admin::TargetGroupView> HealthMonitor::view() const {
  std::vector<admin::TargetGroupView> out;
  for (const std::string& name : order_) out.push_back(view_of(name, groups_.at(name)));
  return out;
}

std::optional<admin::TargetGroupView> HealthMonitor::view(std::string_view name) const {
  auto it = groups_.find(name);
  if (it == groups_.end()) return std::nullopt;
  return view_of(it->first, it->second);
}

admin::TargetGroupView HealthMonitor::view_of(const std::string& name, const Group& g) const {
  admin::TargetGroupView v;
  v.name = name;
  v.load_balancing_algorithm = g.algorithm;
  v.fail_open = g.fail_open;
  const auto& targets = g.group->targets();
  v.targets.reserve(targets.size());
  for (size_t i = 0; i < targets.size(); ++i) {
    const upstream::Target& t = *targets[i];
    admin::TargetHealthView tv;
    tv.id = t.endpoint.address().to_string();
    tv.port = t.endpoint.port();
    tv.health_check_port = std::to_string(g.check.port.value_or(t.endpoint.port()));
    const std::string& key = g.keys[i];
    if (const health::TargetHealth* h = checker_.find(key)) {
      tv.state = std::string(health::to_string(h->state()));
      tv.reason = std::string(h->code());
      tv.description = h->description();
    } else {
      tv.state = "initial";
      tv.reason = "Elb.InitialHealthChecking";
      tv.description = "Initial health checks in progress";
    }
    if (g.outliers.ejected(key)) {
      // tern's own reason: passive health took it out before the probes did.
      tv.state = "unhealthy";
      tv.reason = "Target.Ejected";
      tv.description = "Ejected after repeated connection failures (outlier_detection)";
    }
    v.targets.push_back(std::move(tv));
  }
  return v;
}

}  // namespace tern::app
