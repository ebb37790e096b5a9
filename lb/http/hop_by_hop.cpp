#include "lb/http/hop_by_hop.hpp"

namespace tern::http {

bool is_hop_by_hop(std::string_view name) {
  bool fixed = false;
  switch (name.size()) {
    case 2:
      fixed = iequals(name, "te");
      break;
    case 7:
      fixed = iequals(name, "trailer") || iequals(name, "upgrade");
      break;
    case 10:
      fixed = iequals(name, "connection") || iequals(name, "keep-alive");
      break;
    case 17:
      fixed = iequals(name, "transfer-encoding");
      break;
    default:
      break;
  }
  if (fixed) return true;
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
      } else if (iequals(t, "content-length") || iequals(t, "host")) {
        // RFC 9110 §7.6.1: a connection option must not name a field meant for every
        // recipient. Honouring "Connection: Content-Length" would forward a body without
        // its framing, which the target would read as the next request (smuggling); Host
        // is required on every HTTP/1.1 request (RFC 9112 §3.2). Such options are ignored.
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
