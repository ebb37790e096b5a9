#include "lb/http/message_head.hpp"

namespace tern::http {

namespace {
inline char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}
}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view find_header(const MessageHead& head, const char* base, std::string_view name,
                             bool* found) {
  for (const auto& h : head.headers) {
    if (iequals(h.name.view(base), name)) {
      if (found) *found = true;
      return h.value.view(base);
    }
  }
  if (found) *found = false;
  return {};
}

int count_header(const MessageHead& head, const char* base, std::string_view name) {
  int n = 0;
  for (const auto& h : head.headers) n += iequals(h.name.view(base), name) ? 1 : 0;
  return n;
}

}  // namespace tern::http
