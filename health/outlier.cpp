#include "health/outlier.hpp"

#include <algorithm>
#include <utility>

namespace tern::health {

void OutlierTracker::set_targets(std::span<const std::string> keys) {
  std::map<std::string, Entry, std::less<>> kept;
  for (const auto& key : keys) {
    auto it = entries_.find(key);
    kept.emplace(key, it == entries_.end() ? Entry{} : it->second);
  }
  entries_ = std::move(kept);
  ejected_ = static_cast<size_t>(std::count_if(entries_.begin(), entries_.end(),
                                               [](const auto& e) { return e.second.ejected; }));
}

bool OutlierTracker::may_eject() const {
  if (policy_.consecutive_failures <= 0 || policy_.max_ejection_percent <= 0) return false;
  const size_t size = entries_.size();
  if (size < 2) return false;
  if (ejected_ == 0) return true;
  return (ejected_ + 1) * 100 <= static_cast<size_t>(policy_.max_ejection_percent) * size;
}

int OutlierTracker::decayed(const Entry& entry, TimePoint now) const {
  if (entry.ejected || entry.multiplier == 0 || policy_.base_ejection_time.count() <= 0) {
    return entry.multiplier;
  }
  if (now <= entry.decay_anchor) return entry.multiplier;
  auto steps = (now - entry.decay_anchor) / policy_.base_ejection_time;
  return steps >= entry.multiplier ? 0 : entry.multiplier - static_cast<int>(steps);
}

void OutlierTracker::apply_decay(Entry& entry, TimePoint now) const {
  int after = decayed(entry, now);
  if (after == entry.multiplier) return;
  // Keep the remainder: the next step is one base_ejection_time after the last one.
  entry.decay_anchor += (entry.multiplier - after) * policy_.base_ejection_time;
  entry.multiplier = after;
}

void OutlierTracker::eject(Entry& entry, TimePoint now) {
  apply_decay(entry, now);
  const auto base = policy_.base_ejection_time;
  const auto cap = std::max(base, policy_.max_ejection_time);
  if (entry.multiplier == 0 || base * entry.multiplier < policy_.max_ejection_time) {
    ++entry.multiplier;
  }
  entry.ejected = true;
  entry.until = now + std::min(base * entry.multiplier, cap);
  ++ejected_;
}

bool OutlierTracker::record_failure(std::string_view key, TimePoint now) {
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.ejected) return false;
  Entry& entry = it->second;
  ++entry.failures;
  if (entry.failures < policy_.consecutive_failures || !may_eject()) return false;
  eject(entry, now);
  return true;
}

void OutlierTracker::record_success(std::string_view key) {
  auto it = entries_.find(key);
  if (it != entries_.end()) it->second.failures = 0;
}

std::vector<std::string> OutlierTracker::tick(TimePoint now) {
  std::vector<std::string> back;
  for (auto& [key, entry] : entries_) {
    if (entry.ejected && entry.until <= now) {
      entry.ejected = false;
      entry.failures = 0;
      entry.decay_anchor = entry.until;  // not `now`: a late tick does not delay decay
      --ejected_;
      back.push_back(key);
    }
  }
  return back;
}

std::optional<OutlierTracker::TimePoint> OutlierTracker::next_unejection() const {
  std::optional<TimePoint> earliest;
  for (const auto& [key, entry] : entries_) {
    if (entry.ejected && (!earliest || entry.until < *earliest)) earliest = entry.until;
  }
  return earliest;
}

bool OutlierTracker::ejected(std::string_view key) const {
  auto it = entries_.find(key);
  return it != entries_.end() && it->second.ejected;
}

int OutlierTracker::multiplier(std::string_view key, TimePoint now) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? 0 : decayed(it->second, now);
}

int OutlierTracker::consecutive_failures(std::string_view key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? 0 : it->second.failures;
}

}  // namespace tern::health
