#include "health/checker.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdio>
#include <utility>

#include "health/jitter.hpp"
#include "health/probe.hpp"

namespace tern::health {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

bool same_matcher(const std::vector<config::StatusRange>& a,
                  const std::vector<config::StatusRange>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].low != b[i].low || a[i].high != b[i].high) return false;
  }
  return true;
}

// Every setting that changes what or when we probe (not the YAML mark).
bool same_settings(const config::HealthCheck& a, const config::HealthCheck& b) {
  return a.enabled == b.enabled && a.path == b.path && a.port == b.port &&
         a.interval == b.interval && a.timeout == b.timeout &&
         a.healthy_threshold == b.healthy_threshold &&
         a.unhealthy_threshold == b.unhealthy_threshold && same_matcher(a.matcher, b.matcher);
}

tcp::endpoint probe_endpoint(const tcp::endpoint& traffic, const config::HealthCheck& check) {
  return {traffic.address(), check.port.value_or(traffic.port())};
}

void log_to_stderr(std::string_view what, std::exception_ptr error) {
  std::string message = "tern health: " + std::string(what) + ": ";
  try {
    std::rethrow_exception(std::move(error));
  } catch (const std::exception& e) {
    message += e.what();
  } catch (...) {
    message += "unknown exception";
  }
  message += '\n';
  std::fputs(message.c_str(), stderr);
}

}  // namespace

// One probe loop. `active` is cleared (on the control thread) before the target is
// removed, restarted or the checker destroyed; the loop checks it after every suspension
// and touches neither its Entry nor the Checker once it is false. `signal` aborts the
// pending timer wait or probe; it is emitted only once the loop started (before that, a
// cancelled co_spawn would throw from its first co_await).
struct Checker::Run {
  asio::cancellation_signal signal;
  bool active = true;
  bool started = false;
};

struct Checker::Entry {
  std::string key;
  std::shared_ptr<const config::HealthCheck> check;  // shared by the group's targets
  tcp::endpoint traffic_endpoint;
  tcp::endpoint probe_endpoint;
  TargetHealth health;
  std::shared_ptr<Run> run;  // null while not probing (disabled)
};

Checker::Checker(asio::io_context& io, Publish publish, TaskFailure on_task_failure)
    : io_(io),
      publish_(std::move(publish)),
      on_task_failure_(on_task_failure ? std::move(on_task_failure) : TaskFailure(log_to_stderr)),
      random_(std::random_device{}()) {}

Checker::~Checker() {
  stop();
}

void Checker::start(Entry& entry) {
  auto run = std::make_shared<Run>();
  entry.run = run;
  asio::co_spawn(io_, probe_loop(&entry, run),
                 asio::bind_cancellation_slot(
                     run->signal.slot(), [run, report = on_task_failure_](std::exception_ptr e) {
                       if (e) report("health probe loop", e);
                     }));
}

void Checker::halt(Entry& entry) {
  if (!entry.run) return;
  auto run = std::move(entry.run);
  run->active = false;
  if (run->started) run->signal.emit(asio::cancellation_type::terminal);
}

asio::awaitable<void> Checker::probe_loop(Entry* entry, std::shared_ptr<Run> run) {
  co_await asio::this_coro::throw_if_cancelled(false);
  if (!run->active) co_return;
  run->started = true;
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(first_delay(entry->check->interval, random_()));
  for (;;) {
    co_await timer.async_wait(kNoThrow);
    if (!run->active) co_return;
    // Keep the cadence from probe start to probe start, whatever the probe took.
    timer.expires_after(next_delay(entry->check->interval, random_()));
    ProbeResult result = co_await probe(entry->probe_endpoint, *entry->check);
    if (!run->active) co_return;  // removed or restarted meanwhile: the result is dropped
    const Thresholds thresholds{entry->check->healthy_threshold, entry->check->unhealthy_threshold};
    if (entry->health.apply(result, thresholds)) {
      publish_(entry->key, entry->health, entry->health.became_healthy());
      if (!run->active) co_return;
    }
  }
}

bool Checker::reconfigure(Entry& entry, std::shared_ptr<const config::HealthCheck> check,
                          const tcp::endpoint& traffic_endpoint) {
  const bool same =
      same_settings(*entry.check, *check) && entry.traffic_endpoint == traffic_endpoint;
  entry.check = std::move(check);
  if (same) return false;  // keeps its schedule (the running loop reads entry.check)
  halt(entry);
  entry.traffic_endpoint = traffic_endpoint;
  entry.probe_endpoint = probe_endpoint(traffic_endpoint, *entry.check);
  if (!entry.check->enabled) return entry.health.set_disabled();
  start(entry);
  return entry.health.state() == State::kUnavailable && entry.health.restart();
}

std::unique_ptr<Checker::Entry> Checker::make_entry(
    const CheckedTarget& target, std::shared_ptr<const config::HealthCheck> check) {
  auto entry = std::make_unique<Entry>();
  entry->key = target.key;
  entry->check = std::move(check);
  entry->traffic_endpoint = target.traffic_endpoint;
  entry->probe_endpoint = probe_endpoint(target.traffic_endpoint, *entry->check);
  if (entry->check->enabled) {
    start(*entry);
  } else {
    entry->health.set_disabled();
  }
  return entry;
}

void Checker::update(std::vector<CheckedGroup> groups) {
  std::map<std::string, std::unique_ptr<Entry>, std::less<>> next;
  std::vector<Entry*> changed;  // published once the new set is in place
  for (auto& group : groups) {
    auto check = std::make_shared<const config::HealthCheck>(std::move(group.check));
    for (const auto& target : group.targets) {
      if (next.contains(target.key)) continue;
      std::unique_ptr<Entry> entry;
      if (auto it = entries_.find(target.key); it != entries_.end()) {
        entry = std::move(it->second);
        entries_.erase(it);
        if (reconfigure(*entry, check, target.traffic_endpoint)) changed.push_back(entry.get());
      } else {
        entry = make_entry(target, check);
        changed.push_back(entry.get());
      }
      next.emplace(target.key, std::move(entry));
    }
  }
  for (auto& [key, entry] : entries_) halt(*entry);  // removed
  entries_ = std::move(next);
  for (Entry* entry : changed) publish_(entry->key, entry->health, false);
}

void Checker::stop() {
  for (auto& [key, entry] : entries_) halt(*entry);
  entries_.clear();
}

const TargetHealth* Checker::find(std::string_view key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : &it->second->health;
}

}  // namespace tern::health
