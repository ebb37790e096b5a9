#include "lb/discovery/ecs_version_order.hpp"

#include <iterator>

namespace tern::discovery {

bool EcsVersionOrder::admit(std::string_view task_arn, std::optional<int64_t> version,
                            bool stopping, Clock::time_point now) {
  auto it = tasks_.find(task_arn);
  if (it == tasks_.end()) {
    it = tasks_.emplace(std::string(task_arn), Entry{}).first;
    it->second.version = version.value_or(0);
  } else {
    if (!version || *version <= it->second.version) return false;
    it->second.version = *version;
  }
  if (stopping && !it->second.stopped_since) it->second.stopped_since = now;
  return true;
}

void EcsVersionOrder::note_gone(std::string_view task_arn, Clock::time_point now) {
  const auto it = tasks_.find(task_arn);
  if (it != tasks_.end() && !it->second.stopped_since) it->second.stopped_since = now;
}

size_t EcsVersionOrder::forget_old(Clock::time_point now) {
  size_t forgotten = 0;
  for (auto it = tasks_.begin(); it != tasks_.end();) {
    if (it->second.stopped_since && now - *it->second.stopped_since >= keep_stopped_) {
      it = tasks_.erase(it);
      ++forgotten;
    } else {
      ++it;
    }
  }
  return forgotten;
}

std::optional<int64_t> EcsVersionOrder::last_applied(std::string_view task_arn) const {
  const auto it = tasks_.find(task_arn);
  if (it == tasks_.end()) return std::nullopt;
  return it->second.version;
}

}  // namespace tern::discovery
