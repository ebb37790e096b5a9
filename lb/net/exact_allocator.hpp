// An allocator that is plain operator new/delete at the exact size, for Asio operations
// that stay pending for a long time (an idle connection's readiness wait). Asio treats an
// operation without an allocator of its own, or with std::allocator<void>, as "use the
// thread's recycling cache", whose blocks keep the size of whatever used them before (an
// accept or a write operation, ~290 bytes, for a 104-byte wait); held by every idle
// connection, that difference adds up. Short-lived operations should keep the cache.
//
// Thread affinity: any. Ownership: stateless.
#pragma once

#include <cstddef>
#include <new>

namespace tern::net {

template <typename T>
struct ExactAllocator {
  using value_type = T;

  ExactAllocator() noexcept = default;
  template <typename U>
  ExactAllocator(const ExactAllocator<U>&) noexcept {}  // NOLINT: implicit, as allocators are

  T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T))); }
  void deallocate(T* p, std::size_t) noexcept { ::operator delete(p); }

  template <typename U>
  bool operator==(const ExactAllocator<U>&) const noexcept {
    return true;
  }
};

}  // namespace tern::net
