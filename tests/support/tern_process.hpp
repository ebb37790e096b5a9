// Runs the real tern binary (TERN_BINARY) for end-to-end tests: writes the YAML config to
// a temporary file, spawns `tern --config FILE`, collects stderr (the log) and stdout line
// by line on reader threads, and offers bounded waits on log lines, the listeners' actual
// ports, signals, config rewrites, exit codes and RSS. The destructor kills a process
// still running and removes the temporary directory.
//
// Thread affinity: the public API may be called from any thread. Ownership: the test
// owns the TernProcess, which owns the child process and its pipes.
#pragma once

#include <sys/types.h>

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "tests/support/socket_io.hpp"

namespace tern::test {

// A private temporary directory, removed with its content on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // Writes `content` to path()/name (atomically: write + rename) and returns the path.
  std::string write(const std::string& name, const std::string& content) const;

 private:
  std::string path_;
};

struct TernOptions {
  // How the config file is named on the command line.
  enum class ConfigArg { kLong, kShort, kEnv };
  ConfigArg config_arg = ConfigArg::kLong;
  std::vector<std::string> extra_args;
  std::map<std::string, std::string> env;  // added to the inherited environment
  std::optional<uint64_t> max_open_files;  // RLIMIT_NOFILE of the child
};

enum class ReloadOutcome { kReloaded, kRejected, kTimeout };

class TernProcess {
 public:
  // Writes `yaml` and starts tern. Does not wait for anything (see wait_ready).
  explicit TernProcess(const std::string& yaml, TernOptions options = {});
  ~TernProcess();
  TernProcess(const TernProcess&) = delete;
  TernProcess& operator=(const TernProcess&) = delete;

  pid_t pid() const { return pid_; }
  const std::string& config_path() const { return config_path_; }

  // Waits for the `ready` line; false (with the log available via log()) when tern
  // exits or the timeout passes first.
  bool wait_ready(Millis timeout = Millis(10000));
  // Port of `listener "NAME" listening on HOST:PORT`, seen at or after line `from`;
  // waits up to the timeout; 0 when not seen.
  uint16_t port(const std::string& listener, Millis timeout = Millis(10000), size_t from = 0);
  // Port of `admin listening on HOST:PORT` (admin.bind with port 0).
  uint16_t admin_port(Millis timeout = Millis(10000), size_t from = 0);

  // Number of stderr lines so far: pass it as `from` to wait for lines after this point.
  size_t mark() const;
  // Waits for a stderr line containing `needle` at index >= from. Returns it.
  std::optional<std::string> wait_for_line(std::string_view needle, Millis timeout,
                                           size_t from = 0);
  std::vector<std::string> lines() const;  // stderr so far
  std::string log() const;                 // stderr so far, joined
  std::string stdout_text() const;
  bool has_line(std::string_view needle, size_t from = 0) const;

  void signal(int sig);
  void rewrite_config(const std::string& yaml);
  // Sends SIGHUP and waits for "reloaded configuration" / "reload rejected".
  ReloadOutcome reload(Millis timeout = Millis(10000));

  // Exit code (128+signal when killed by one) once the process ended within the timeout.
  std::optional<int> wait_exit(Millis timeout);
  bool running();
  // VmRSS / VmHWM of the process in KiB (0 when unavailable).
  uint64_t rss_kib() const;
  uint64_t peak_rss_kib() const;
  // Number of open file descriptors of the process (/proc/PID/fd).
  size_t open_fds() const;
  // utime + stime of the process in milliseconds.
  uint64_t cpu_ms() const;

 private:
  uint16_t port_after(const std::string& needle, Millis timeout, size_t from);
  void spawn();
  void read_loop(int fd, bool is_stderr);

  TernOptions options_;
  TempDir dir_;
  std::string config_path_;
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  Fd err_fd_;
  Fd out_fd_;
  std::thread err_thread_;
  std::thread out_thread_;

  mutable std::mutex mu_;
  mutable std::condition_variable changed_;
  std::vector<std::string> err_lines_;
  std::string out_text_;
  bool err_closed_ = false;
};

struct CommandResult {
  int exit_code = -1;  // -1 when it did not finish in time (then it was killed)
  std::string out;
  std::string err;
  std::string output() const { return out + err; }
};

// Runs TERN_BINARY with `args` to completion (for --check, --version, a failing start).
CommandResult run_tern(const std::vector<std::string>& args,
                       const std::map<std::string, std::string>& env = {},
                       Millis timeout = Millis(20000));

// True when `line` contains `word` delimited by non-alphanumeric characters.
bool contains_word(std::string_view line, std::string_view word);

}  // namespace tern::test
