#include "tests/support/blackhole.hpp"

#include <cerrno>

namespace tern::test {

BlackholeTarget::BlackholeTarget() : listen_fd_(listen_tcp("127.0.0.1", 0, 0)) {
  port_ = local_port(listen_fd_.get());
  for (int i = 0; i < 8 && !ready_; ++i) {
    int err = 0;
    Fd fd = connect_tcp("127.0.0.1", port_, Millis(300), &err);
    if (fd.valid()) {
      fillers_.push_back(std::move(fd));
    } else {
      ready_ = err == ETIMEDOUT;
    }
  }
}

}  // namespace tern::test
