// Per-worker free list of fixed-size read buffers, so that a request in steady state
// allocates none: a connection takes a block when bytes arrive and gives it back when it
// goes idle.
//
// The list is sized for bursts (up to max_free blocks, 16 MiB by default) and trimmed to
// recent need: while it holds more than kKeepWarm blocks, a DeadlineQueue tick every
// kTrimInterval gives back to the kernel the pages of the blocks that stayed unused for
// the whole interval (madvise(MADV_DONTNEED); the block stays on the list, cold, and its
// pages come back zeroed when it is used again). Blocks are page-aligned so a cold block
// keeps no resident page. So a busy worker never allocates or frees a block per request,
// and a worker that goes quiet after a burst holds ~kKeepWarm blocks of memory, not the
// burst's worth (which freed to malloc would stay resident, fragmented between the
// connections allocated meanwhile).
//
// Thread affinity: one worker. Ownership: owned by the WorkerContext; must outlive every
// Buffer that draws from it (it is declared before them), and be outlived by its queue.
#pragma once

#include <chrono>
#include <cstddef>
#include <vector>

#include "lb/net/deadline_queue.hpp"

namespace tern::net {

class BufferPool : private DeadlineQueue::Entry {
 public:
  static constexpr size_t kBlockSize = 16 * 1024;
  static constexpr size_t kKeepWarm = 16;
  static constexpr std::chrono::milliseconds kTrimInterval{100};

  // Without a queue the pool never trims (tests, tools).
  explicit BufferPool(DeadlineQueue* trim_queue = nullptr, size_t max_free = 1024);
  ~BufferPool() override;
  BufferPool(const BufferPool&) = delete;
  BufferPool& operator=(const BufferPool&) = delete;

  char* take();
  void give(char* block);

  size_t free_blocks() const { return warm_.size() + cold_.size(); }
  size_t warm_blocks() const { return warm_.size(); }

 private:
  void on_deadline() override;  // trim tick
  static char* allocate_block();
  static void free_block(char* block);

  DeadlineQueue* queue_;
  size_t max_free_;
  std::vector<char*> warm_;  // most recently given back last
  std::vector<char*> cold_;  // pages given back to the kernel
  size_t low_water_ = 0;     // fewest warm blocks since the last tick
};

}  // namespace tern::net
