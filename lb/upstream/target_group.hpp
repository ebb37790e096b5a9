// A target group: a balanced set of targets. Balancing state is per worker (one
// cache-line slot each), so picking a target takes no lock and shares no line.
//
// Thread affinity: built by the control thread, then read-only except slot(w), which
// only worker w touches. Ownership: shared_ptr held by snapshots.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "lb/upstream/target.hpp"

namespace tern::upstream {

class TargetGroup {
 public:
  TargetGroup(std::string name, std::vector<std::shared_ptr<Target>> targets, int workers);

  const std::string& name() const { return name_; }
  const std::vector<std::shared_ptr<Target>>& targets() const { return targets_; }

  // Round robin over the targets for worker `worker`; nullptr when the group is empty.
  // Workers start at different offsets so that together they spread evenly.
  const std::shared_ptr<Target>* pick(int worker);

 private:
  struct alignas(64) Slot {
    size_t next = 0;
  };

  std::string name_;
  std::vector<std::shared_ptr<Target>> targets_;
  std::unique_ptr<Slot[]> slots_;
};

}  // namespace tern::upstream
