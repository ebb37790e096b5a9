// One version of a target group's member list as one worker sees it: the targets that may
// be picked (draining ones are not members) and the routable bits of this version.
//
// Membership changes (registration, deregistration, ECS, a reload's new file targets) do
// not rebuild the snapshot: the control thread builds a new version (TargetGroup::
// prepare), sets its routable bits, and posts one copy to each worker, which swaps it in
// between picks (TargetGroup::install). Every worker has its own copy so that holding one
// for the length of a request (Exchange) costs a plain increment on a line no other core
// writes: the reference count is not atomic.
//
// Thread affinity: built on the control thread; after it is posted, its reference count
// and its vector belong to one worker. The routable bits are shared by every worker's
// copy of one version and written by the control thread only (RoutableSet). Ownership:
// intrusive (MembersPtr): the worker's slot in its TargetGroup and the exchanges that
// picked from it.
#pragma once

#include <boost/intrusive_ptr.hpp>
#include <cstdint>
#include <memory>
#include <vector>

#include "lb/upstream/routable_set.hpp"
#include "lb/upstream/target.hpp"

namespace tern::upstream {

struct Members {
  Members(std::vector<std::shared_ptr<Target>> t, std::shared_ptr<RoutableSet> r)
      : targets(std::move(t)), routable(std::move(r)) {}

  const std::vector<std::shared_ptr<Target>> targets;
  const std::shared_ptr<RoutableSet> routable;  // bit i: targets[i] may be picked
  uint32_t refs = 0;                            // one worker's references (not atomic)
};

inline void intrusive_ptr_add_ref(Members* m) {
  ++m->refs;
}
inline void intrusive_ptr_release(Members* m) {
  if (--m->refs == 0) delete m;
}

using MembersPtr = boost::intrusive_ptr<Members>;

}  // namespace tern::upstream
