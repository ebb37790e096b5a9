#include "lb/upstream/target_group.hpp"

#include <algorithm>

namespace tern::upstream {
namespace {

constexpr size_t kNone = SIZE_MAX;
constexpr int kFullWeight = 100;

int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

uint64_t xorshift(uint64_t& x) {
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  return x;
}

}  // namespace

TargetGroup::TargetGroup(std::string name, std::vector<std::shared_ptr<Target>> targets,
                         int workers, GroupSettings settings, std::shared_ptr<RetryBudgets> budgets)
    : name_(std::move(name)),
      settings_(std::move(settings)),
      workers_(std::max(workers, 1)),
      slots_(new Slot[static_cast<size_t>(workers_)]),
      budgets_(budgets ? std::move(budgets) : std::make_shared<RetryBudgets>(workers_)) {
  const size_t n = targets.size();
  std::vector<MembersPtr> copies = prepare(std::move(targets));
  for (int w = 0; w < workers_; ++w) {
    Slot& s = slots_[static_cast<size_t>(w)];
    s.next = n == 0 ? 0 : (static_cast<size_t>(w) * n) / static_cast<size_t>(workers_);
    s.rng =
        0x9e3779b97f4a7c15ull * static_cast<uint64_t>(w + 1) ^ reinterpret_cast<uintptr_t>(this);
    if (s.rng == 0) s.rng = 1;
    install(w, std::move(copies[static_cast<size_t>(w)]));
  }
}

std::vector<MembersPtr> TargetGroup::prepare(std::vector<std::shared_ptr<Target>> targets) {
  routable_ = std::make_shared<RoutableSet>(targets.size());
  std::vector<MembersPtr> copies;
  copies.reserve(static_cast<size_t>(workers_));
  for (int w = 1; w < workers_; ++w) copies.emplace_back(new Members(targets, routable_));
  copies.emplace_back(new Members(targets, routable_));
  targets_ = std::move(targets);
  return copies;
}

void TargetGroup::install(int worker, MembersPtr members) {
  Slot& s = slots_[static_cast<size_t>(worker)];
  // Smooth weighted round robin restarts its cycle over the new list (only while ramping).
  if (settings_.slow_start.count() > 0) s.current.assign(members->targets.size(), 0);
  s.members = std::move(members);
}

bool TargetGroup::avoided(const TargetList& targets, size_t i,
                          std::span<const Target* const> avoid) {
  const Target* t = targets[i].get();
  return std::find(avoid.begin(), avoid.end(), t) != avoid.end();
}

bool TargetGroup::ramping(int64_t& now_ms) const {
  if (settings_.slow_start.count() == 0) return false;
  const int64_t until = ramp_until_ms_.load(std::memory_order_relaxed);
  if (until == 0) return false;
  now_ms = steady_ms();
  return now_ms < until;
}

int TargetGroup::ramp_weight(const Target& target, std::chrono::milliseconds slow_start,
                             int64_t now_ms) {
  const int64_t begin = target.slow_start_begin_ms.load(std::memory_order_relaxed);
  if (begin == 0 || slow_start.count() == 0) return kFullWeight;
  const int64_t elapsed = now_ms - begin;
  if (elapsed >= slow_start.count()) return kFullWeight;
  // Linear from 1/100 of a full share (a ramping target is never starved) to a full one.
  return static_cast<int>(std::max<int64_t>(1, elapsed * kFullWeight / slow_start.count()));
}

const std::shared_ptr<Target>* TargetGroup::pick(int worker, std::span<const Target* const> avoid,
                                                 MembersPtr* hold) {
  Slot& s = slots_[static_cast<size_t>(worker)];
  const Members& m = *s.members;
  RoutableSet::View v;
  m.routable->load(v, &s.scratch);
  if (v.count() == 0) return nullptr;
  int64_t now_ms = 0;
  size_t i = kNone;
  switch (settings_.algorithm) {
    case Algorithm::kRoundRobin:
      i = ramping(now_ms) ? smooth_weighted(s, v, avoid, now_ms) : round_robin(m.targets, v, avoid);
      break;
    case Algorithm::kLeastOutstandingRequests: {
      const bool ramp = ramping(now_ms);
      i = least_outstanding(s, v, avoid, ramp, now_ms);
      break;
    }
    case Algorithm::kWeightedRandom:
      i = random(s, v, avoid);
      break;
  }
  if (i == kNone) return nullptr;
  if (hold != nullptr) *hold = s.members;
  return &m.targets[i];
}

size_t TargetGroup::round_robin(const TargetList& targets, const RoutableSet::View& v,
                                std::span<const Target* const> avoid) const {
  const size_t count = v.count();
  const uint64_t seq = sequence_.fetch_add(1, std::memory_order_relaxed);
  for (size_t j = 0; j < count; ++j) {
    const size_t i = v.select((seq + j) % count);
    if (avoid.empty() || !avoided(targets, i, avoid)) return i;
  }
  return kNone;
}

size_t TargetGroup::smooth_weighted(Slot& s, const RoutableSet::View& v,
                                    std::span<const Target* const> avoid, int64_t now_ms) const {
  // nginx's smooth weighted round robin: every candidate gains its weight, the richest is
  // picked and pays the total. Over one cycle each gets exactly its weight's share,
  // interleaved rather than in runs.
  const TargetList& targets = s.members->targets;
  int64_t total = 0;
  size_t best = kNone;
  for (size_t i = 0; i < targets.size(); ++i) {
    if (!v.test(i) || (!avoid.empty() && avoided(targets, i, avoid))) continue;
    const int w = ramp_weight(*targets[i], settings_.slow_start, now_ms);
    s.current[i] += w;
    total += w;
    if (best == kNone || s.current[i] > s.current[best]) best = i;
  }
  if (best != kNone) s.current[best] -= total;
  return best;
}

size_t TargetGroup::least_outstanding(Slot& s, const RoutableSet::View& v,
                                      std::span<const Target* const> avoid, bool ramp,
                                      int64_t now_ms) const {
  const TargetList& targets = s.members->targets;
  const size_t n = targets.size();
  // Ties go to the first candidate after the last pick, so they rotate without bias.
  const size_t start = static_cast<size_t>(s.next % n);
  size_t best = kNone;
  int64_t best_score = 0;
  for (size_t j = 0; j < n; ++j) {
    const size_t i = (start + j) % n;
    if (!v.test(i) || (!avoid.empty() && avoided(targets, i, avoid))) continue;
    const Target& t = *targets[i];
    int64_t score = t.outstanding.load(std::memory_order_relaxed);
    // A ramping target looks busier: (outstanding + 1) / weight, in hundredths.
    if (ramp)
      score =
          (score + 1) * kFullWeight * kFullWeight / ramp_weight(t, settings_.slow_start, now_ms);
    else
      score *= kFullWeight;
    if (best == kNone || score < best_score) {
      best = i;
      best_score = score;
    }
  }
  if (best != kNone) s.next = best + 1;
  return best;
}

size_t TargetGroup::random(Slot& s, const RoutableSet::View& v,
                           std::span<const Target* const> avoid) const {
  const size_t count = v.count();
  const uint64_t r = xorshift(s.rng);
  for (size_t j = 0; j < count; ++j) {
    const size_t i = v.select((r + j) % count);
    if (avoid.empty() || !avoided(s.members->targets, i, avoid)) return i;
  }
  return kNone;
}

const std::shared_ptr<Target>* TargetGroup::find_routable(
    int worker, const boost::asio::ip::tcp::endpoint& endpoint, MembersPtr* hold) const {
  const MembersPtr& m = slots_[static_cast<size_t>(worker)].members;
  for (size_t i = 0; i < m->targets.size(); ++i) {
    if (m->targets[i]->endpoint != endpoint) continue;
    if (!m->routable->test(i)) return nullptr;
    if (hold != nullptr) *hold = m;
    return &m->targets[i];
  }
  return nullptr;
}

}  // namespace tern::upstream
