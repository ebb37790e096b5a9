// Per-worker spares of the growable storage a connection needs only while a request is in
// progress (head encoding strings, the parsed header list). An idle connection hands its
// storage back here and takes some again when its next request begins, so idle
// connections hold none and busy ones allocate none in steady state.
//
// Thread affinity: one worker. Ownership: owned by the WorkerContext; bounded.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "lb/http/message_head.hpp"

namespace tern::proxy {

class SpareStorage {
 public:
  static constexpr size_t kMaxSpares = 1024;

  // True when a string's characters live on the heap (beyond the small-string buffer).
  static bool holds_heap(const std::string& s) { return s.capacity() > std::string().capacity(); }

  std::string take_string() { return take(strings_); }
  void give(std::string&& s) {
    if (holds_heap(s)) give(strings_, std::move(s));
  }

  std::vector<http::HeaderField> take_headers() { return take(headers_); }
  void give(std::vector<http::HeaderField>&& v) { give(headers_, std::move(v)); }

 private:
  template <typename T>
  static T take(std::vector<T>& spares) {
    if (spares.empty()) return T();
    T t = std::move(spares.back());
    spares.pop_back();
    return t;
  }

  template <typename T>
  static void give(std::vector<T>& spares, T&& t) {
    if (t.capacity() == 0 || spares.size() >= kMaxSpares) return;  // nothing to keep
    t.clear();
    spares.push_back(std::move(t));
  }

  std::vector<std::string> strings_;
  std::vector<std::vector<http::HeaderField>> headers_;
};

}  // namespace tern::proxy
