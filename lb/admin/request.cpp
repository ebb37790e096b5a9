#include "lb/admin/request.hpp"

#include "lb/http/message_head.hpp"

namespace tern::admin {

std::string_view Request::header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (http::iequals(n, name)) return v;
  }
  return {};
}

std::string_view Request::param(std::string_view name) const {
  for (const auto& [n, v] : params) {
    if (n == name) return v;
  }
  return {};
}

}  // namespace tern::admin
