// Which header fields a proxy must not forward (RFC 9110 §7.6.1): the fixed hop-by-hop
// set plus every field named in the message's own Connection header.
//
// Thread affinity: none (pure functions). Ownership: ConnectionTokens borrows the views
// it is given; it lives for one message head.
#pragma once

#include <string_view>

#include "lb/http/message_head.hpp"

namespace tern::http {

// Connection, Keep-Alive, Proxy-*, TE, Trailer, Transfer-Encoding, Upgrade.
bool is_hop_by_hop(std::string_view name);

// The field names listed in a head's Connection header(s), bounded (a client listing more
// than kMax names only loses the extra ones' removal, which the fixed set still covers).
// Content-Length and Host are never taken as names: they frame and address the message
// for every recipient, so a Connection option cannot remove them.
class ConnectionTokens {
 public:
  ConnectionTokens(const MessageHead& head, const char* base);

  bool contains(std::string_view name) const;
  bool close() const { return close_; }
  bool keep_alive() const { return keep_alive_; }
  bool upgrade() const { return upgrade_; }

 private:
  static constexpr int kMax = 16;
  std::string_view names_[kMax];
  int count_ = 0;
  bool close_ = false;
  bool keep_alive_ = false;
  bool upgrade_ = false;
};

// True when `name` must not be forwarded given this head's Connection tokens.
inline bool drop_on_forward(std::string_view name, const ConnectionTokens& tokens) {
  return is_hop_by_hop(name) || tokens.contains(name);
}

// Calls fn(token) for each comma-separated, whitespace-trimmed, non-empty token.
template <typename Fn>
void for_each_token(std::string_view list, Fn&& fn) {
  size_t i = 0;
  while (i <= list.size()) {
    size_t comma = list.find(',', i);
    if (comma == std::string_view::npos) comma = list.size();
    std::string_view t = list.substr(i, comma - i);
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
    if (!t.empty()) fn(t);
    i = comma + 1;
  }
}

}  // namespace tern::http
