// Per-worker free list of fixed-size read buffers, so that a request in steady state
// allocates none: a connection takes a block when bytes arrive and gives it back when it
// goes idle.
//
// Thread affinity: one worker. Ownership: owned by the WorkerContext; must outlive every
// Buffer that draws from it (it is declared before them). Holds at most max_free blocks.
#pragma once

#include <cstddef>
#include <vector>

namespace tern::net {

class BufferPool {
 public:
  static constexpr size_t kBlockSize = 16 * 1024;

  explicit BufferPool(size_t max_free = 64) : max_free_(max_free) { free_.reserve(max_free); }
  ~BufferPool() {
    for (char* b : free_) delete[] b;
  }
  BufferPool(const BufferPool&) = delete;
  BufferPool& operator=(const BufferPool&) = delete;

  char* take() {
    if (free_.empty()) return new char[kBlockSize];
    char* b = free_.back();
    free_.pop_back();
    return b;
  }

  void give(char* block) {
    if (free_.size() < max_free_) {
      free_.push_back(block);
    } else {
      delete[] block;
    }
  }

  size_t free_blocks() const { return free_.size(); }

 private:
  std::vector<char*> free_;
  size_t max_free_;
};

}  // namespace tern::net
