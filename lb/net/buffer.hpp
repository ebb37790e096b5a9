// A growable byte buffer for one connection direction: bytes are read in at the end and
// consumed from the front; the unread rest is moved to the front between messages, so a
// message head always starts at offset 0 and parser offsets stay valid while it grows.
//
// Storage comes from the worker's BufferPool while it fits one block (the common case),
// from the heap beyond that (a large head), and is returned while the connection is idle
// (release()), so idle connections hold no buffer.
//
// Thread affinity: the worker owning the connection. Ownership: owns its storage; the pool
// it draws from must outlive it.
#pragma once

#include <boost/asio/buffer.hpp>
#include <cstddef>
#include <cstring>
#include <utility>

#include "lb/net/buffer_pool.hpp"

namespace tern::net {

class Buffer {
 public:
  Buffer() = default;
  explicit Buffer(BufferPool* pool) : pool_(pool) {}
  ~Buffer() { free_storage(); }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  void set_pool(BufferPool* pool) {
    if (capacity_ == 0) pool_ = pool;
  }

  const char* data() const { return data_; }
  char* data() { return data_; }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }

  // Free space at the end, grown to at least `min_free` bytes (doubling beyond a pool
  // block, so a head that arrives in small pieces costs O(log n) copies). Follow with
  // commit().
  char* prepare(size_t min_free) {
    if (capacity_ - size_ < min_free) grow(size_ + min_free);
    return data_ + size_;
  }
  size_t free_space() const { return capacity_ - size_; }
  void commit(size_t n) { size_ += n; }

  // prepare() as an Asio buffer covering all the free space.
  boost::asio::mutable_buffer prepare_buffer(size_t min_free) {
    char* p = prepare(min_free);
    return {p, capacity_ - size_};
  }

  // Drops the first n bytes, moving the rest to the front.
  void consume(size_t n) {
    if (n >= size_) {
      size_ = 0;
      return;
    }
    std::memmove(data_, data_ + n, size_ - n);
    size_ -= n;
  }

  void clear() { size_ = 0; }

  // Returns the storage when empty (an idle keep-alive connection then holds none).
  void release() {
    if (size_ == 0) free_storage();
  }

 private:
  void grow(size_t need) {
    char* bigger;
    size_t cap;
    if (pool_ != nullptr && need <= BufferPool::kBlockSize) {
      bigger = pool_->take();
      cap = BufferPool::kBlockSize;
    } else {
      cap = capacity_ ? capacity_ : BufferPool::kBlockSize;
      while (cap < need) cap *= 2;
      bigger = new char[cap];
    }
    if (size_) std::memcpy(bigger, data_, size_);
    free_storage();
    data_ = bigger;
    capacity_ = cap;
  }

  void free_storage() {
    if (data_ == nullptr) return;
    if (pool_ != nullptr && capacity_ == BufferPool::kBlockSize) {
      pool_->give(data_);
    } else {
      delete[] data_;
    }
    data_ = nullptr;
    capacity_ = 0;
  }

  char* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
  BufferPool* pool_ = nullptr;
};

}  // namespace tern::net
