#include "lb/upstream/target_group.hpp"

namespace tern::upstream {

TargetGroup::TargetGroup(std::string name, std::vector<std::shared_ptr<Target>> targets,
                         int workers)
    : name_(std::move(name)), targets_(std::move(targets)), slots_(new Slot[workers]) {
  for (int w = 0; w < workers; ++w) {
    slots_[w].next = targets_.empty() ? 0 : (static_cast<size_t>(w) * targets_.size()) / workers;
  }
}

const std::shared_ptr<Target>* TargetGroup::pick(int worker) {
  if (targets_.empty()) return nullptr;
  Slot& s = slots_[worker];
  const std::shared_ptr<Target>* t = &targets_[s.next];
  if (++s.next == targets_.size()) s.next = 0;
  return t;
}

}  // namespace tern::upstream
