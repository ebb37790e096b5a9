// The bytes of one health probe: the request tern sends and the status line it reads
// back. Split from probe.cpp so that the parsing is tested without sockets.
//
// Thread affinity: none (pure functions). Ownership: the request is returned by value;
// nothing kept.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <string>
#include <string_view>

namespace tern::health {

// "GET <path> HTTP/1.1\r\nHost: <ip>:<port>\r\nUser-Agent: tern-health-checker\r\n
// Connection: close\r\n\r\n", Host naming the probed endpoint ([v6]:port for IPv6, without
// a zone id, which has no place in a URI host, RFC 9110 §7.2 / RFC 3986 §3.2.2).
std::string probe_request(const boost::asio::ip::tcp::endpoint& endpoint, std::string_view path);

struct StatusLine {
  enum Kind { kNeedMore, kInvalid, kComplete };
  Kind kind = kNeedMore;
  int status = 0;  // kComplete: 100..599
};

// Parses the start of a response (RFC 9112 §4: HTTP-version SP status-code SP
// [reason-phrase]) from the bytes received so far. Decides as soon as the code and the
// byte after it arrived ("HTTP/1.1 200 " is enough): kNeedMore while every byte so far
// fits, kInvalid at the first that does not. Accepted: "HTTP/1." DIGIT, SP, three digits
// 100..599, then SP, or CR / LF for servers that omit the empty reason's SP.
StatusLine parse_status_line(std::string_view received);

}  // namespace tern::health
