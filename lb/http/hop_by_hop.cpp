#include "lb/http/hop_by_hop.hpp"

namespace tern::http {

bool is_hop_by_hop(std::string_view name) {
  switch (name.size()) {
    case 2: return iequals(name, "te");
    case 7: return iequals(name, "trailer") || iequals(name, "upgrade");
    case 10: return iequals(name, "connection") || iequals(name, "keep-alive");
    case 17: return iequals(name, "transfer-encoding");
    default: break;
  }
  // Proxy-Connection, Proxy-Authenticate, Proxy-Authorization, ... (spec: "Proxy-*").
  return name.size() > 6 && iequals(name.substr(0, 6), "proxy-");
}

ConnectionTokens::ConnectionTokens(const MessageHead& head, const char* base) {
  for (const auto& h : head.headers) {
    if (!iequals(h.name.view(base), "connection")) continue;
    for_each_token(h.value.view(base), [&](std::string_view t) {
      if (iequals(t, "close")) {
        close_ = true;
      } else if (iequals(t, "keep-alive")) {
        keep_alive_ = true;
      } else {
        if (iequals(t, "upgrade")) upgrade_ = true;
        if (count_ < kMax) names_[count_++] = t;
      }
    });
  }
}

bool ConnectionTokens::contains(std::string_view name) const {
  for (int i = 0; i < count_; ++i) {
    if (iequals(names_[i], name)) return true;
  }
  return false;
}

}  // namespace tern::http
