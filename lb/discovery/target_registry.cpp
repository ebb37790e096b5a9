#include "lb/discovery/target_registry.hpp"

#include <algorithm>
#include <set>

namespace tern::discovery {

std::string_view source_display(Source source) {
  switch (source) {
    case kFile:
      return "the config file";
    case kApi:
      return "the API";
    case kEcs:
      return "ECS";
  }
  return "an unknown source";
}

std::string target_id(const boost::asio::ip::tcp::endpoint& endpoint) {
  const auto& a = endpoint.address();
  if (a.is_v6()) return "[" + a.to_string() + "]:" + std::to_string(endpoint.port());
  return a.to_string() + ":" + std::to_string(endpoint.port());
}

void TargetRegistry::join(const std::string& name, Group& g,
                          const boost::asio::ip::tcp::endpoint& endpoint, Source source,
                          std::string_view why, std::vector<Event>& events) {
  const std::string id = target_id(endpoint);
  auto it = g.entries.find(id);
  if (it == g.entries.end()) {
    Entry e;
    e.target = std::make_shared<upstream::Target>();
    e.target->id = id;
    e.target->endpoint = endpoint;
    e.sources = source;
    e.order = g.next_order++;
    events.push_back({Event::Kind::kAdded, name, e.target, std::string(why)});
    g.entries.emplace(id, std::move(e));
    return;
  }
  Entry& e = it->second;
  if (e.draining) {
    // Back before its drain ended: the same Target (its pooled connections, counters);
    // its health starts over as a new registration's does (ALB: initial again).
    e.draining = false;
    e.until_idle = false;
    e.sources = source;
    e.order = g.next_order++;
    events.push_back({Event::Kind::kReactivated, name, e.target, std::string(why)});
    return;
  }
  e.sources |= source;
}

void TargetRegistry::leave(const std::string& name, Group& g, Entry& e, Source source,
                           std::string_view why, Clock::time_point now,
                           std::vector<Event>& events) {
  e.sources &= static_cast<uint8_t>(~source);
  if (e.sources != 0 || e.draining) return;
  e.draining = true;
  e.until = now + g.delay;
  e.until_idle = g.delay.count() == 0;
  events.push_back({Event::Kind::kDraining, name, e.target, std::string(why), g.delay});
}

std::vector<Event> TargetRegistry::configure(const std::vector<GroupSpec>& groups,
                                             Clock::time_point now) {
  std::vector<Event> events;
  std::set<std::string, std::less<>> configured;
  for (const GroupSpec& spec : groups) {
    configured.insert(spec.name);
    Group& g = groups_[spec.name];
    g.delay = spec.deregistration_delay;
    std::set<std::string> in_file;
    for (const auto& ep : spec.file_targets) in_file.insert(target_id(ep));
    for (auto& [id, e] : g.entries) {
      if ((e.sources & kFile) && !in_file.count(id)) {
        leave(spec.name, g, e, kFile, "removed from the config file", now, events);
      }
    }
    for (const auto& ep : spec.file_targets) {
      join(spec.name, g, ep, kFile, "in the config file", events);
    }
  }
  for (auto it = groups_.begin(); it != groups_.end();) {
    if (configured.count(it->first)) {
      ++it;
      continue;
    }
    for (const Entry* e : ordered(it->second, false)) {
      events.push_back({Event::Kind::kRemoved, it->first, e->target, "target group removed"});
    }
    for (const Entry* e : ordered(it->second, true)) {
      events.push_back({Event::Kind::kRemoved, it->first, e->target, "target group removed"});
    }
    it = groups_.erase(it);
  }
  return events;
}

Outcome TargetRegistry::add(std::string_view group,
                            const std::vector<boost::asio::ip::tcp::endpoint>& targets,
                            Source source, Clock::time_point) {
  Outcome out;
  auto it = groups_.find(group);
  if (it == groups_.end()) {
    out.status = 404;
    out.error = "unknown target group \"" + std::string(group) + "\"";
    return out;
  }
  const std::string why = "registered through " + std::string(source_display(source));
  for (const auto& ep : targets) join(it->first, it->second, ep, source, why, out.events);
  return out;
}

Outcome TargetRegistry::remove(std::string_view group,
                               const std::vector<boost::asio::ip::tcp::endpoint>& targets,
                               Source source, Clock::time_point now) {
  Outcome out;
  auto it = groups_.find(group);
  if (it == groups_.end()) {
    out.status = 404;
    out.error = "unknown target group \"" + std::string(group) + "\"";
    return out;
  }
  Group& g = it->second;
  // Checked whole before anything changes.
  for (const auto& ep : targets) {
    auto e = g.entries.find(target_id(ep));
    if (e == g.entries.end() || e->second.draining || (e->second.sources & source)) continue;
    out.status = 409;
    out.error = "target " + e->first + " of \"" + it->first + "\" was not registered through " +
                std::string(source_display(source)) +
                ((e->second.sources & kFile) ? ": it is in the config file; remove it there"
                                             : ": it is managed by ECS");
    return out;
  }
  const std::string why = "deregistered through " + std::string(source_display(source));
  for (const auto& ep : targets) {
    auto e = g.entries.find(target_id(ep));
    if (e == g.entries.end() || e->second.draining) continue;
    leave(it->first, g, e->second, source, why, now, out.events);
  }
  return out;
}

std::vector<Event> TargetRegistry::expire(Clock::time_point now) {
  std::vector<Event> events;
  for (auto& [name, g] : groups_) {
    for (auto it = g.entries.begin(); it != g.entries.end();) {
      const Entry& e = it->second;
      if (e.draining && !e.until_idle && e.until <= now) {
        events.push_back({Event::Kind::kRemoved, name, e.target, "deregistration delay passed"});
        it = g.entries.erase(it);
      } else {
        ++it;
      }
    }
  }
  return events;
}

bool TargetRegistry::finish_drain(std::string_view group, const upstream::Target* target) {
  auto g = groups_.find(group);
  if (g == groups_.end()) return false;
  auto it = g->second.entries.find(target->id);
  if (it == g->second.entries.end() || !it->second.draining || it->second.target.get() != target) {
    return false;
  }
  g->second.entries.erase(it);
  return true;
}

bool TargetRegistry::has_group(std::string_view group) const {
  return groups_.count(group) > 0;
}

std::vector<const TargetRegistry::Entry*> TargetRegistry::ordered(const Group& g,
                                                                  bool draining) const {
  std::vector<const Entry*> out;
  for (const auto& [id, e] : g.entries) {
    if (e.draining == draining) out.push_back(&e);
  }
  std::sort(out.begin(), out.end(),
            [](const Entry* a, const Entry* b) { return a->order < b->order; });
  return out;
}

std::vector<std::shared_ptr<upstream::Target>> TargetRegistry::members(
    std::string_view group) const {
  std::vector<std::shared_ptr<upstream::Target>> out;
  auto it = groups_.find(group);
  if (it == groups_.end()) return out;
  for (const Entry* e : ordered(it->second, false)) out.push_back(e->target);
  return out;
}

std::vector<DrainingTarget> TargetRegistry::draining(std::string_view group) const {
  std::vector<DrainingTarget> out;
  auto it = groups_.find(group);
  if (it == groups_.end()) return out;
  for (const Entry* e : ordered(it->second, true))
    out.push_back({e->target, e->until, e->until_idle});
  return out;
}

std::vector<std::pair<std::string, DrainingTarget>> TargetRegistry::all_draining() const {
  std::vector<std::pair<std::string, DrainingTarget>> out;
  for (const auto& [name, g] : groups_) {
    for (const Entry* e : ordered(g, true)) {
      out.push_back({name, DrainingTarget{e->target, e->until, e->until_idle}});
    }
  }
  return out;
}

std::optional<Clock::time_point> TargetRegistry::next_deadline() const {
  std::optional<Clock::time_point> next;
  for (const auto& [name, g] : groups_) {
    for (const auto& [id, e] : g.entries) {
      if (e.draining && !e.until_idle && (!next || e.until < *next)) next = e.until;
    }
  }
  return next;
}

bool TargetRegistry::any_until_idle() const {
  for (const auto& [name, g] : groups_) {
    for (const auto& [id, e] : g.entries) {
      if (e.draining && e.until_idle) return true;
    }
  }
  return false;
}

std::vector<std::pair<std::string, boost::asio::ip::tcp::endpoint>> TargetRegistry::registered(
    Source source) const {
  std::vector<std::pair<std::string, boost::asio::ip::tcp::endpoint>> out;
  for (const auto& [name, g] : groups_) {
    for (const Entry* e : ordered(g, false)) {
      if (e->sources & source) out.emplace_back(name, e->target->endpoint);
    }
  }
  return out;
}

}  // namespace tern::discovery
