// Small POSIX socket layer for the test support code: an owning file descriptor, TCP
// listen/connect on IPv4 literals, and reads/writes bounded by a deadline (poll-based, on
// non-blocking sockets, never SIGPIPE).
//
// Thread affinity: none; an Fd is used by one thread at a time. Ownership: Fd owns its
// descriptor and closes it on destruction.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace tern::test {

using Clock = std::chrono::steady_clock;
using Millis = std::chrono::milliseconds;

inline Clock::time_point deadline_in(Millis timeout) {
  return Clock::now() + timeout;
}

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(Fd&& other) noexcept : fd_(other.release()) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

enum class IoStatus { kOk, kClosed, kReset, kTimeout, kError };
const char* to_string(IoStatus status);

struct IoResult {
  IoStatus status = IoStatus::kOk;
  size_t bytes = 0;
  int error = 0;  // errno for kReset / kError
};

// A listening TCP socket (SOCK_CLOEXEC, non-blocking, SO_REUSEADDR) on host:port; port 0
// picks a free port. Throws std::system_error.
Fd listen_tcp(const std::string& host, uint16_t port, int backlog = 1024);

// A bound but not listening socket: connecting to its port is refused, and no other
// socket can take the port while it lives. Throws std::system_error.
Fd bind_unlistened(const std::string& host);

// Connects (non-blocking connect, bounded by timeout). Returns an invalid Fd on failure
// with errno in *error (ETIMEDOUT on timeout).
Fd connect_tcp(const std::string& host, uint16_t port, Millis timeout, int* error = nullptr);

uint16_t local_port(int fd);
void set_nodelay(int fd);

// Waits until fd is readable (data, EOF or error) or the deadline passes.
bool wait_readable(int fd, Clock::time_point deadline);

// One recv of at most size bytes, waiting until the deadline for data.
IoResult read_some(int fd, char* out, size_t size, Clock::time_point deadline);

// Writes all bytes unless the peer closes/resets or the deadline passes.
IoResult write_all(int fd, const char* data, size_t size, Clock::time_point deadline);
inline IoResult write_all(int fd, const std::string& s, Clock::time_point deadline) {
  return write_all(fd, s.data(), s.size(), deadline);
}

// Closes with SO_LINGER {1, 0}: the peer gets a RST instead of a FIN.
void close_with_reset(Fd& fd);

}  // namespace tern::test
