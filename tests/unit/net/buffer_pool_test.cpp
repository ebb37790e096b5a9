#include "lb/net/buffer_pool.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <cstring>
#include <vector>

namespace tern::net {
namespace {

TEST(BufferPool, ReusesBlocksAndHandsOutPageAlignedOnes) {
  BufferPool pool;
  char* a = pool.take();
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a) % 4096, 0u);
  pool.give(a);
  EXPECT_EQ(pool.take(), a);
  pool.give(a);
}

TEST(BufferPool, KeepsAtMostMaxFree) {
  BufferPool pool(nullptr, 4);
  std::vector<char*> blocks;
  for (int i = 0; i < 10; ++i) blocks.push_back(pool.take());
  for (char* b : blocks) pool.give(b);
  EXPECT_EQ(pool.free_blocks(), 4u);
}

// After a burst, the blocks nobody asked for during a whole trim interval go cold (their
// pages back to the kernel); they stay usable and come back zeroed. The trim tick stops
// once the warm list is down to kKeepWarm, so the loop runs out of work.
TEST(BufferPool, TrimsWhatABurstLeftBehind) {
  boost::asio::io_context io;
  DeadlineQueue queue(io);
  BufferPool pool(&queue);
  std::vector<char*> blocks;
  for (int i = 0; i < 100; ++i) blocks.push_back(pool.take());
  for (char* b : blocks) {
    std::memset(b, 'x', BufferPool::kBlockSize);
    pool.give(b);
  }
  EXPECT_EQ(pool.warm_blocks(), 100u);
  io.run();
  EXPECT_EQ(pool.warm_blocks(), BufferPool::kKeepWarm);
  EXPECT_EQ(pool.free_blocks(), 100u);
  // Warm blocks first (most recently given back), then cold ones, zeroed.
  for (size_t i = 0; i < BufferPool::kKeepWarm; ++i) pool.give(pool.take());
  std::vector<char*> again;
  for (size_t i = 0; i < BufferPool::kKeepWarm + 1; ++i) again.push_back(pool.take());
  EXPECT_EQ(again.back()[0], '\0');
  EXPECT_EQ(again.back()[BufferPool::kBlockSize - 1], '\0');
  for (char* b : again) pool.give(b);
}

}  // namespace
}  // namespace tern::net
