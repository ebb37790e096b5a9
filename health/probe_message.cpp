#include "health/probe_message.hpp"

namespace tern::health {

std::string probe_request(const boost::asio::ip::tcp::endpoint& endpoint, std::string_view path) {
  const auto address = endpoint.address();
  std::string host;
  if (address.is_v6()) {
    // to_string() appends "%zone" for scoped addresses; a Host header has no room for it.
    auto v6 = address.to_v6();
    v6.scope_id(0);
    host = "[" + v6.to_string() + "]";
  } else {
    host = address.to_string();
  }
  std::string request;
  request.reserve(96 + path.size() + host.size());
  request += "GET ";
  request += path;
  request += " HTTP/1.1\r\nHost: ";
  request += host;
  request += ':';
  request += std::to_string(endpoint.port());
  request += "\r\nUser-Agent: tern-health-checker\r\nConnection: close\r\n\r\n";
  return request;
}

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// What byte `i` of a status line may be, up to the byte after the code.
bool fits(size_t i, char c) {
  static constexpr std::string_view kPrefix = "HTTP/1.";
  if (i < kPrefix.size()) return c == kPrefix[i];
  switch (i) {
    case 7:  // minor version
    case 9:  // status code
    case 10:
    case 11:
      return is_digit(c);
    case 8:
      return c == ' ';
    default:  // 12: after the code
      return c == ' ' || c == '\r' || c == '\n';
  }
}

}  // namespace

StatusLine parse_status_line(std::string_view received) {
  constexpr size_t kDecided = 13;  // "HTTP/1.1 200 "
  for (size_t i = 0; i < received.size() && i < kDecided; ++i) {
    if (!fits(i, received[i])) return {StatusLine::kInvalid, 0};
  }
  if (received.size() < kDecided) return {StatusLine::kNeedMore, 0};
  int status = (received[9] - '0') * 100 + (received[10] - '0') * 10 + (received[11] - '0');
  if (status < 100 || status > 599) return {StatusLine::kInvalid, 0};
  return {StatusLine::kComplete, status};
}

}  // namespace tern::health
