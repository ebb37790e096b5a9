// tern-testbackend: the test Backend (backend.hpp) as a standalone process, for
// `make run` and benchmarks.
//   tern-testbackend --port N --name NAME [--host 127.0.0.1]
// Serves until SIGTERM or SIGINT. `/` answers "hello from NAME".
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tests/support/backend.hpp"

namespace {

int usage() {
  std::fprintf(stderr, "usage: tern-testbackend --port N --name NAME [--host ADDRESS]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  tern::test::BackendOptions options;
  options.name = "backend";
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (i + 1 >= argc) return usage();
    if (arg == "--port") {
      const long port = std::strtol(argv[++i], nullptr, 10);
      if (port < 0 || port > 65535) return usage();
      options.port = static_cast<uint16_t>(port);
    } else if (arg == "--name") {
      options.name = argv[++i];
    } else if (arg == "--host") {
      options.host = argv[++i];
    } else {
      return usage();
    }
  }
  // Block the stop signals before any thread starts, then wait for one synchronously.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  try {
    tern::test::Backend backend(options);
    std::printf("tern-testbackend %s listening on %s\n", options.name.c_str(),
                backend.address().c_str());
    std::fflush(stdout);
    int sig = 0;
    sigwait(&stop_signals, &sig);
    backend.stop();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tern-testbackend: %s\n", e.what());
    return 1;
  }
  return 0;
}
