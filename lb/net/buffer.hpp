// A growable byte buffer for one connection direction: bytes are read in at the end and
// consumed from the front; the unread rest is moved to the front between messages, so a
// message head always starts at offset 0 and parser offsets stay valid while it grows.
//
// Thread affinity: the worker owning the connection. Ownership: owns its storage, which
// is released while the connection is idle (release()) to keep idle connections small.
#pragma once

#include <boost/asio/buffer.hpp>
#include <cstddef>
#include <cstring>
#include <memory>

namespace tern::net {

class Buffer {
 public:
  Buffer() = default;
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  const char* data() const { return data_.get(); }
  char* data() { return data_.get(); }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }

  // Free space at the end, grown to at least `min_free` bytes (doubling, so a head that
  // arrives in small pieces costs O(log n) copies). Follow with commit().
  char* prepare(size_t min_free) {
    if (capacity_ - size_ < min_free) grow(size_ + min_free);
    return data_.get() + size_;
  }
  size_t free_space() const { return capacity_ - size_; }

  // prepare() as an Asio buffer covering all the free space.
  boost::asio::mutable_buffer prepare_buffer(size_t min_free) {
    char* p = prepare(min_free);
    return {p, capacity_ - size_};
  }
  void commit(size_t n) { size_ += n; }

  // Drops the first n bytes, moving the rest to the front.
  void consume(size_t n) {
    if (n >= size_) {
      size_ = 0;
      return;
    }
    std::memmove(data_.get(), data_.get() + n, size_ - n);
    size_ -= n;
  }

  void clear() { size_ = 0; }

  // Returns the storage when empty (an idle keep-alive connection then holds none).
  void release() {
    if (size_ == 0) {
      data_.reset();
      capacity_ = 0;
    }
  }

 private:
  void grow(size_t need) {
    size_t cap = capacity_ ? capacity_ : 4096;
    while (cap < need) cap *= 2;
    std::unique_ptr<char[]> bigger(new char[cap]);
    if (size_) std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
    capacity_ = cap;
  }

  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace tern::net
