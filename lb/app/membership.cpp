#include "lb/app/membership.hpp"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>

#include "lb/core/log.hpp"
#include "lb/discovery/state_file.hpp"

namespace tern::app {

namespace asio = boost::asio;
using discovery::Clock;
using discovery::Event;
using Endpoints = std::vector<asio::ip::tcp::endpoint>;

namespace {

// Counts worker confirmations; the control thread waits for all of them.
struct Acks {
  explicit Acks(size_t n) : pending(n) {}
  void arrive() {
    std::lock_guard<std::mutex> lock(m);
    if (--pending == 0) cv.notify_all();
  }
  bool wait(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(m);
    return cv.wait_for(lock, timeout, [this] { return pending == 0; });
  }
  std::mutex m;
  std::condition_variable cv;
  size_t pending;
};

std::string seconds_text(std::chrono::steady_clock::duration d) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  if (ms < 1000) return std::to_string(ms) + " ms";
  return std::to_string((ms + 500) / 1000) + " s";
}

admin::TargetHealthView draining_view(const upstream::Target& t) {
  admin::TargetHealthView v;
  v.id = t.endpoint.address().to_string();
  v.port = t.endpoint.port();
  v.health_check_port = std::to_string(t.endpoint.port());
  v.state = "draining";
  v.reason = "Target.DeregistrationInProgress";
  v.description = "Target deregistration is in progress";
  return v;
}

}  // namespace

Membership::Membership(asio::io_context& io, Registry& registry,
                       std::vector<std::unique_ptr<Worker>>& workers, HealthMonitor& health)
    : io_(io), registry_(registry), workers_(workers), health_(health), drain_timer_(io) {}

Membership::~Membership() {
  stop();
}

void Membership::stop() {
  stopped_ = true;
  drain_timer_.cancel();
}

void Membership::configured(std::shared_ptr<const proxy::Snapshot> snapshot,
                            const std::vector<Event>& events) {
  snapshot_ = std::move(snapshot);
  mark_draining(events);
  if (!first_) log_events(events);
  first_ = false;
  // Targets that left the file drain: their idle pooled connections close now (they are
  // no longer in the snapshot's member lists, so no new request goes to them).
  std::vector<std::shared_ptr<upstream::Target>> close_idle;
  for (const Event& e : events) {
    if (e.kind == Event::Kind::kDraining) close_idle.push_back(e.target);
  }
  if (!close_idle.empty()) {
    // Posted after the snapshot: a worker closes them once it no longer picks them.
    for (auto& w : workers_) w->close_connections(close_idle, false);
  }
  arm_drain_timer();
}

void Membership::mark_draining(const std::vector<Event>& events) {
  for (const Event& e : events) {
    if (e.kind == Event::Kind::kDraining) e.target->draining.store(true);
    if (e.kind == Event::Kind::kReactivated) e.target->draining.store(false);
  }
}

std::shared_ptr<upstream::TargetGroup> Membership::find_group(std::string_view name) const {
  if (!snapshot_) return nullptr;
  for (const auto& g : snapshot_->target_groups) {
    if (g->name() == name) return g;
  }
  return nullptr;
}

Membership::Result Membership::add(const std::string& group, const Endpoints& targets,
                                   discovery::Source source) {
  return change(group, [&](discovery::TargetRegistry& r) {
    return r.add(group, targets, source, Clock::now());
  });
}

Membership::Result Membership::remove(const std::string& group, const Endpoints& targets,
                                      discovery::Source source) {
  return change(group, [&](discovery::TargetRegistry& r) {
    return r.remove(group, targets, source, Clock::now());
  });
}

Membership::Result Membership::change(
    const std::string& group, const std::function<Outcome(discovery::TargetRegistry&)>& apply) {
  if (stopped_) return {503, "tern is shutting down"};
  std::optional<discovery::TargetRegistry> saved;
  if (!state_file_.empty()) saved = registry_.targets;  // to roll back a failed write
  Outcome o = apply(registry_.targets);
  if (o.status != 200) return {o.status, o.error};
  if (saved) {
    if (std::string error = persist(); !error.empty()) {
      registry_.targets = std::move(*saved);
      core::log_error("registration not applied: " + error);
      return {500, "cannot write the state file: " + error};
    }
  }
  if (o.events.empty()) return {};
  mark_draining(o.events);
  if (!publish(group, o.events)) {
    return {503, "the change is recorded but not every worker confirmed it within " +
                     std::to_string(kApplyTimeout.count() / 1000) + " s"};
  }
  log_events(o.events);  // once workers act on it: a log reader may act on the line
  arm_drain_timer();
  return {};
}

bool Membership::publish(const std::string& name, const std::vector<Event>& events) {
  std::shared_ptr<upstream::TargetGroup> group = find_group(name);
  if (!group) return true;
  std::vector<upstream::MembersPtr> copies = group->prepare(registry_.targets.members(name));
  std::vector<upstream::Target*> fresh;
  std::vector<std::shared_ptr<upstream::Target>> close_idle;
  for (const Event& e : events) {
    if (e.kind == Event::Kind::kAdded || e.kind == Event::Kind::kReactivated) {
      fresh.push_back(e.target.get());
    } else if (e.kind == Event::Kind::kDraining) {
      close_idle.push_back(e.target);
    }
  }
  // The routable bits of the new list are set before any worker sees it.
  health_.members_changed(name, fresh);
  auto acks = std::make_shared<Acks>(workers_.size());
  for (size_t w = 0; w < workers_.size(); ++w) {
    workers_[w]->update_members(group, std::move(copies[w]), close_idle,
                                [acks] { acks->arrive(); });
  }
  return acks->wait(kApplyTimeout);
}

void Membership::log_events(const std::vector<Event>& events) const {
  for (const Event& e : events) {
    const std::string what = "target " + e.target->id + " of \"" + e.group + "\" ";
    switch (e.kind) {
      case Event::Kind::kAdded:
        core::log_info(what + "added (" + e.why + ")");
        break;
      case Event::Kind::kReactivated:
        core::log_info(what + "back while draining (" + e.why + ")");
        break;
      case Event::Kind::kDraining:
        core::log_info(what + "draining " +
                       (e.delay.count() == 0 ? std::string("until no request is in flight")
                                             : "for " + seconds_text(e.delay)) +
                       " (" + e.why + ")");
        break;
      case Event::Kind::kRemoved:
        core::log_info(what + "removed (" + e.why + ")");
        break;
    }
  }
}

std::string Membership::persist() const {
  std::vector<discovery::StateTarget> targets;
  for (const auto& [group, ep] : registry_.targets.registered(discovery::kApi)) {
    targets.push_back({group, ep.address().to_string(), ep.port()});
  }
  return discovery::write_state_file(state_file_, targets);
}

void Membership::set_state_file(std::string path) {
  if (path == state_file_) return;
  state_file_ = std::move(path);
  if (state_file_.empty()) return;
  // At start-up (what was restored, in canonical form: a bad file fails early) and when a
  // reload names another file: it holds the current registrations from now on.
  if (std::string error = persist(); !error.empty()) {
    core::log_error("admin.state_file: " + error);
  }
}

void Membership::arm_drain_timer() {
  if (stopped_) return;
  std::optional<Clock::time_point> next = registry_.targets.next_deadline();
  if (registry_.targets.any_until_idle()) {
    const auto poll = Clock::now() + kIdlePoll;
    if (!next || poll < *next) next = poll;
  }
  if (!next) return;
  drain_timer_.expires_at(*next);
  drain_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec && !stopped_) on_drain_timer();
  });
}

void Membership::on_drain_timer() {
  std::vector<Event> expired = registry_.targets.expire(Clock::now());
  if (!expired.empty()) {
    // Requests still open on them fail now (ALB: 502 once the delay has passed).
    std::vector<std::shared_ptr<upstream::Target>> targets;
    for (const Event& e : expired) targets.push_back(e.target);
    for (auto& w : workers_) w->close_connections(targets, true);
    log_events(expired);
  }
  if (registry_.targets.any_until_idle() && !polling_) poll_idle();
  arm_drain_timer();
}

void Membership::poll_idle() {
  std::vector<std::pair<std::string, std::shared_ptr<upstream::Target>>> waiting;
  for (auto& [group, d] : registry_.targets.all_draining()) {
    if (d.until_idle) waiting.emplace_back(group, d.target);
  }
  if (waiting.empty()) return;
  std::vector<std::shared_ptr<upstream::Target>> targets;
  for (const auto& w : waiting) targets.push_back(w.second);
  struct Round {
    std::vector<size_t> totals;
    size_t remaining;
  };
  auto round =
      std::make_shared<Round>(Round{std::vector<size_t>(targets.size(), 0), workers_.size()});
  polling_ = true;
  for (auto& w : workers_) {
    w->count_busy(targets, [this, round, waiting](std::vector<size_t> counts) {
      asio::post(io_, [this, round, waiting, counts = std::move(counts)] {
        for (size_t i = 0; i < counts.size(); ++i) round->totals[i] += counts[i];
        if (--round->remaining != 0) return;
        polling_ = false;
        std::vector<Event> done;
        for (size_t i = 0; i < waiting.size(); ++i) {
          if (round->totals[i] != 0) continue;
          if (registry_.targets.finish_drain(waiting[i].first, waiting[i].second.get())) {
            done.push_back({Event::Kind::kRemoved, waiting[i].first, waiting[i].second,
                            "drained: no request in flight"});
          }
        }
        log_events(done);
      });
    });
  }
}

std::vector<admin::TargetGroupView> Membership::view() const {
  std::vector<admin::TargetGroupView> groups = health_.view();
  for (auto& g : groups) {
    for (const auto& d : registry_.targets.draining(g.name)) {
      g.targets.push_back(draining_view(*d.target));
    }
  }
  return groups;
}

std::optional<admin::TargetGroupView> Membership::view(std::string_view group) const {
  std::optional<admin::TargetGroupView> g = health_.view(group);
  if (!g) return g;
  for (const auto& d : registry_.targets.draining(g->name)) {
    g->targets.push_back(draining_view(*d.target));
  }
  return g;
}

}  // namespace tern::app
