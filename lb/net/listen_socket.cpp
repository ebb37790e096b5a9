#include "lb/net/listen_socket.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tern::net {

namespace {

struct SockAddr {
  sockaddr_storage storage{};
  socklen_t len = 0;
  int family = AF_INET;
};

bool make_addr(const std::string& host, uint16_t port, SockAddr& out) {
  if (host.empty()) {
    // All interfaces: IPv6 any with dual-stack accepts IPv4 too.
    auto* a6 = reinterpret_cast<sockaddr_in6*>(&out.storage);
    a6->sin6_family = AF_INET6;
    a6->sin6_addr = in6addr_any;
    a6->sin6_port = htons(port);
    out.len = sizeof(sockaddr_in6);
    out.family = AF_INET6;
    return true;
  }
  auto* a4 = reinterpret_cast<sockaddr_in*>(&out.storage);
  if (inet_pton(AF_INET, host.c_str(), &a4->sin_addr) == 1) {
    a4->sin_family = AF_INET;
    a4->sin_port = htons(port);
    out.len = sizeof(sockaddr_in);
    out.family = AF_INET;
    return true;
  }
  auto* a6 = reinterpret_cast<sockaddr_in6*>(&out.storage);
  if (inet_pton(AF_INET6, host.c_str(), &a6->sin6_addr) == 1) {
    a6->sin6_family = AF_INET6;
    a6->sin6_port = htons(port);
    out.len = sizeof(sockaddr_in6);
    out.family = AF_INET6;
    return true;
  }
  return false;
}

int open_one(const SockAddr& addr, bool dual_stack, int backlog, std::string& error) {
  int fd = ::socket(addr.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    error = std::string("socket: ") + std::strerror(errno);
    return -1;
  }
  int one = 1;
  int zero = 0;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  if (addr.family == AF_INET6 && dual_stack) {
    ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
  }
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&addr.storage), addr.len) != 0) {
    error = std::string("bind: ") + std::strerror(errno);
    ::close(fd);
    return -1;
  }
  if (::listen(fd, backlog) != 0) {
    error = std::string("listen: ") + std::strerror(errno);
    ::close(fd);
    return -1;
  }
  return fd;
}

uint16_t bound_port(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return 0;
  if (ss.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
  return ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
}

}  // namespace

ListenSockets open_listen_sockets(const std::string& host, uint16_t port, int count, int backlog) {
  ListenSockets out;
  SockAddr addr;
  if (!make_addr(host, port, addr)) {
    out.error = "not an IP address: " + host;
    return out;
  }
  for (int i = 0; i < count; ++i) {
    int fd = open_one(addr, host.empty(), backlog, out.error);
    if (fd < 0) {
      close_fds(out.fds);
      return out;
    }
    if (i == 0) {
      out.port = bound_port(fd);
      // Port 0: the others must join the port the kernel picked for the first.
      auto* p4 = reinterpret_cast<sockaddr_in*>(&addr.storage);
      auto* p6 = reinterpret_cast<sockaddr_in6*>(&addr.storage);
      if (addr.family == AF_INET)
        p4->sin_port = htons(out.port);
      else
        p6->sin6_port = htons(out.port);
    }
    out.fds.push_back(fd);
  }
  return out;
}

void close_fds(std::vector<int>& fds) {
  for (int fd : fds) ::close(fd);
  fds.clear();
}

}  // namespace tern::net
