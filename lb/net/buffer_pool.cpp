#include "lb/net/buffer_pool.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <new>

namespace tern::net {

namespace {
constexpr std::align_val_t kPageAlign{4096};
}  // namespace

BufferPool::BufferPool(DeadlineQueue* trim_queue, size_t max_free)
    : queue_(trim_queue), max_free_(max_free) {}

BufferPool::~BufferPool() {
  if (queue_ != nullptr && queued()) queue_->remove(*this);
  for (char* b : warm_) free_block(b);
  for (char* b : cold_) free_block(b);
}

char* BufferPool::allocate_block() {
  return static_cast<char*>(::operator new(kBlockSize, kPageAlign));
}

void BufferPool::free_block(char* block) {
  ::operator delete(block, kPageAlign);
}

char* BufferPool::take() {
  char* b;
  if (!warm_.empty()) {
    b = warm_.back();
    warm_.pop_back();
    low_water_ = std::min(low_water_, warm_.size());
  } else if (!cold_.empty()) {
    b = cold_.back();
    cold_.pop_back();
  } else {
    b = allocate_block();
  }
  return b;
}

void BufferPool::give(char* block) {
  if (free_blocks() >= max_free_) {
    free_block(block);
    return;
  }
  warm_.push_back(block);
  if (warm_.size() > kKeepWarm && queue_ != nullptr && !queued()) {
    low_water_ = warm_.size();
    queue_->set(*this, DeadlineQueue::Clock::now() + kTrimInterval);
  }
}

void BufferPool::on_deadline() {
  // The oldest blocks beyond kKeepWarm that no take() reached during the interval.
  const size_t surplus = low_water_ > kKeepWarm ? low_water_ - kKeepWarm : 0;
  for (size_t i = 0; i < surplus; ++i) {
    // Failure only leaves the pages resident; the block is as usable either way.
    (void)::madvise(warm_[i], kBlockSize, MADV_DONTNEED);
    cold_.push_back(warm_[i]);
  }
  warm_.erase(warm_.begin(), warm_.begin() + static_cast<std::ptrdiff_t>(surplus));
  low_water_ = warm_.size();
  if (warm_.size() > kKeepWarm) queue_->set(*this, DeadlineQueue::Clock::now() + kTrimInterval);
}

}  // namespace tern::net
