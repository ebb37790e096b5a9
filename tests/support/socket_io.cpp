#include "tests/support/socket_io.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace tern::test {
namespace {

sockaddr_in make_addr(const std::string& host, uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
    throw std::system_error(EINVAL, std::generic_category(), "bad IPv4 address " + host);
  }
  return addr;
}

Fd new_socket() {
  Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd.valid()) throw std::system_error(errno, std::generic_category(), "socket");
  return fd;
}

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now()).count();
  if (left <= 0) return 0;
  return left > 1000000 ? 1000000 : static_cast<int>(left);
}

// Polls for `events` until the deadline; returns false on timeout.
bool wait_for(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    const int r = ::poll(&p, 1, remaining_ms(deadline));
    if (r > 0) return true;
    if (r == 0) return false;
    if (errno != EINTR) return true;  // let the following call report the error
  }
}

IoStatus status_of(int err) {
  if (err == ECONNRESET || err == EPIPE) return IoStatus::kReset;
  return IoStatus::kError;
}

}  // namespace

void Fd::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

const char* to_string(IoStatus status) {
  switch (status) {
    case IoStatus::kOk:
      return "ok";
    case IoStatus::kClosed:
      return "closed";
    case IoStatus::kReset:
      return "reset";
    case IoStatus::kTimeout:
      return "timeout";
    case IoStatus::kError:
      return "error";
  }
  return "?";
}

Fd listen_tcp(const std::string& host, uint16_t port, int backlog) {
  Fd fd = new_socket();
  const int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr = make_addr(host, port);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    throw std::system_error(errno, std::generic_category(), "bind");
  }
  if (::listen(fd.get(), backlog) != 0) {
    throw std::system_error(errno, std::generic_category(), "listen");
  }
  return fd;
}

Fd bind_unlistened(const std::string& host) {
  Fd fd = new_socket();
  sockaddr_in addr = make_addr(host, 0);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    throw std::system_error(errno, std::generic_category(), "bind");
  }
  return fd;
}

Fd connect_tcp(const std::string& host, uint16_t port, Millis timeout, int* error) {
  Fd fd = new_socket();
  sockaddr_in addr = make_addr(host, port);
  int err = 0;
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (errno != EINPROGRESS) {
      err = errno;
    } else if (!wait_for(fd.get(), POLLOUT, deadline_in(timeout))) {
      err = ETIMEDOUT;
    } else {
      socklen_t len = sizeof err;
      ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len);
    }
  }
  if (error != nullptr) *error = err;
  if (err != 0) return Fd();
  set_nodelay(fd.get());
  return fd;
}

uint16_t local_port(int fd) {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  return ntohs(addr.sin_port);
}

void set_nodelay(int fd) {
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

bool wait_readable(int fd, Clock::time_point deadline) {
  return wait_for(fd, POLLIN, deadline);
}

IoResult read_some(int fd, char* out, size_t size, Clock::time_point deadline) {
  for (;;) {
    const ssize_t n = ::recv(fd, out, size, MSG_DONTWAIT);
    if (n > 0) return {IoStatus::kOk, static_cast<size_t>(n), 0};
    if (n == 0) return {IoStatus::kClosed, 0, 0};
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) return {status_of(errno), 0, errno};
    if (!wait_for(fd, POLLIN, deadline)) return {IoStatus::kTimeout, 0, 0};
  }
}

IoResult write_all(int fd, const char* data, size_t size, Clock::time_point deadline) {
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::send(fd, data + done, size - done, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n > 0) {
      done += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
      return {status_of(errno), done, errno};
    }
    if (!wait_for(fd, POLLOUT, deadline)) return {IoStatus::kTimeout, done, 0};
  }
  return {IoStatus::kOk, done, 0};
}

void close_with_reset(Fd& fd) {
  if (!fd.valid()) return;
  linger l{1, 0};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_LINGER, &l, sizeof l);
  fd.reset();
}

}  // namespace tern::test
