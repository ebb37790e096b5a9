#include "tests/support/tern_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

extern char** environ;

namespace tern::test {
namespace {

struct Pipe {
  Fd read;
  Fd write;
};

Pipe make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe");
  return {Fd(fds[0]), Fd(fds[1])};
}

std::vector<std::string> build_env(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string_view entry(*e);
    const std::string name(entry.substr(0, entry.find('=')));
    if (name == "TERN_CONFIG" || extra.count(name) != 0) continue;
    env.emplace_back(entry);
  }
  for (const auto& [k, v] : extra) env.push_back(k + "=" + v);
  return env;
}

std::vector<char*> c_strings(std::vector<std::string>& v) {
  std::vector<char*> out;
  for (auto& s : v) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// fork + exec with stdout/stderr on the given pipes. Everything the child needs is built
// before fork: only async-signal-safe calls happen in the child.
pid_t spawn_child(const std::vector<std::string>& tern_args,
                  const std::map<std::string, std::string>& env,
                  std::optional<uint64_t> max_open_files, int out_fd, int err_fd) {
  std::vector<std::string> args;
  args.reserve(tern_args.size() + 1);
  args.emplace_back(std::string_view(TERN_BINARY));
  args.insert(args.end(), tern_args.begin(), tern_args.end());
  std::vector<std::string> env_strings = build_env(env);
  std::vector<char*> argv = c_strings(args);
  std::vector<char*> envp = c_strings(env_strings);
  Fd devnull(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(126);
    ::dup2(devnull.get(), 0);
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    if (max_open_files) {
      const rlimit lim{*max_open_files, *max_open_files};
      ::setrlimit(RLIMIT_NOFILE, &lim);
    }
    ::syscall(SYS_close_range, 3U, ~0U, 0U);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  return pid;
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

std::string read_small_file(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  std::string out;
  if (!fd.valid()) return out;
  char buf[4096];
  for (ssize_t n; (n = ::read(fd.get(), buf, sizeof buf)) > 0;) {
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

std::string proc_status_field(pid_t pid, const std::string& field) {
  const std::string status = read_small_file("/proc/" + std::to_string(pid) + "/status");
  const size_t at = status.find("\n" + field + ":");
  if (at == std::string::npos) return {};
  const size_t start = at + field.size() + 2;
  return status.substr(start, status.find('\n', start) - start);
}

}  // namespace

bool contains_word(std::string_view line, std::string_view word) {
  for (size_t pos = line.find(word); pos != std::string_view::npos;
       pos = line.find(word, pos + 1)) {
    const bool left = pos == 0 || !std::isalnum(static_cast<unsigned char>(line[pos - 1]));
    const size_t end = pos + word.size();
    const bool right = end == line.size() || !std::isalnum(static_cast<unsigned char>(line[end]));
    if (left && right) return true;
  }
  return false;
}

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string templ =
      std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/tern-test-XXXXXX";
  if (::mkdtemp(templ.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "mkdtemp");
  }
  path_ = templ;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::write(const std::string& name, const std::string& content) const {
  const std::string target = path_ + "/" + name;
  const std::string tmp = target + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) throw std::runtime_error("cannot write " + tmp);
  }
  std::filesystem::rename(tmp, target);
  return target;
}

TernProcess::TernProcess(const std::string& yaml, TernOptions options)
    : options_(std::move(options)) {
  config_path_ = dir_.write("tern.yaml", yaml);
  spawn();
}

void TernProcess::spawn() {
  std::vector<std::string> args;
  std::map<std::string, std::string> env = options_.env;
  switch (options_.config_arg) {
    case TernOptions::ConfigArg::kLong:
      args = {"--config", config_path_};
      break;
    case TernOptions::ConfigArg::kShort:
      args = {"-c", config_path_};
      break;
    case TernOptions::ConfigArg::kEnv:
      env["TERN_CONFIG"] = config_path_;
      break;
  }
  args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());
  Pipe out = make_pipe();
  Pipe err = make_pipe();
  pid_ = spawn_child(args, env, options_.max_open_files, out.write.get(), err.write.get());
  out_fd_ = std::move(out.read);
  err_fd_ = std::move(err.read);
  err_thread_ = std::thread([this] { read_loop(err_fd_.get(), true); });
  out_thread_ = std::thread([this] { read_loop(out_fd_.get(), false); });
}

TernProcess::~TernProcess() {
  if (running()) {
    ::kill(pid_, SIGKILL);
    wait_exit(Millis(10000));
  }
  if (err_thread_.joinable()) err_thread_.join();
  if (out_thread_.joinable()) out_thread_.join();
}

void TernProcess::read_loop(int fd, bool is_stderr) {
  std::string partial;
  char buf[8192];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    std::lock_guard lock(mu_);
    if (n <= 0) {
      if (is_stderr) {
        if (!partial.empty()) err_lines_.push_back(partial);
        err_closed_ = true;
      }
      changed_.notify_all();
      return;
    }
    if (!is_stderr) {
      out_text_.append(buf, static_cast<size_t>(n));
      continue;
    }
    partial.append(buf, static_cast<size_t>(n));
    for (size_t nl = partial.find('\n'); nl != std::string::npos; nl = partial.find('\n')) {
      err_lines_.push_back(partial.substr(0, nl));
      partial.erase(0, nl + 1);
    }
    changed_.notify_all();
  }
}

size_t TernProcess::mark() const {
  std::lock_guard lock(mu_);
  return err_lines_.size();
}

std::optional<std::string> TernProcess::wait_for_line(std::string_view needle, Millis timeout,
                                                      size_t from) {
  std::unique_lock lock(mu_);
  std::optional<std::string> found;
  changed_.wait_for(lock, timeout, [&] {
    for (size_t i = from; i < err_lines_.size(); ++i) {
      if (err_lines_[i].find(needle) != std::string::npos) {
        found = err_lines_[i];
        return true;
      }
    }
    from = err_lines_.size();
    return err_closed_;
  });
  return found;
}

bool TernProcess::wait_ready(Millis timeout) {
  std::unique_lock lock(mu_);
  size_t from = 0;
  return changed_.wait_for(lock, timeout, [&] {
    for (; from < err_lines_.size(); ++from) {
      if (contains_word(err_lines_[from], "ready")) return true;
    }
    return err_closed_;
  }) && !err_closed_;
}

uint16_t TernProcess::port(const std::string& listener, Millis timeout, size_t from) {
  return port_after("listener \"" + listener + "\" listening on ", timeout, from);
}

uint16_t TernProcess::admin_port(Millis timeout, size_t from) {
  return port_after("admin listening on ", timeout, from);
}

uint16_t TernProcess::port_after(const std::string& needle, Millis timeout, size_t from) {
  const auto line = wait_for_line(needle, timeout, from);
  if (!line) return 0;
  std::string_view rest = std::string_view(*line).substr(line->find(needle) + needle.size());
  rest = rest.substr(0, rest.find_first_of(" \t\""));
  const size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos) return 0;
  uint32_t port = 0;
  for (const char c : rest.substr(colon + 1)) {
    if (c < '0' || c > '9') break;
    port = port * 10 + static_cast<uint32_t>(c - '0');
  }
  return port > 65535 ? 0 : static_cast<uint16_t>(port);
}

std::vector<std::string> TernProcess::lines() const {
  std::lock_guard lock(mu_);
  return err_lines_;
}

std::string TernProcess::log() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& l : err_lines_) out += l + "\n";
  return out;
}

std::string TernProcess::stdout_text() const {
  std::lock_guard lock(mu_);
  return out_text_;
}

bool TernProcess::has_line(std::string_view needle, size_t from) const {
  std::lock_guard lock(mu_);
  for (size_t i = from; i < err_lines_.size(); ++i) {
    if (err_lines_[i].find(needle) != std::string::npos) return true;
  }
  return false;
}

void TernProcess::signal(int sig) {
  if (pid_ > 0 && !exit_code_) ::kill(pid_, sig);
}

void TernProcess::rewrite_config(const std::string& yaml) {
  dir_.write("tern.yaml", yaml);
}

ReloadOutcome TernProcess::reload(Millis timeout) {
  const size_t from = mark();
  signal(SIGHUP);
  std::unique_lock lock(mu_);
  ReloadOutcome outcome = ReloadOutcome::kTimeout;
  changed_.wait_for(lock, timeout, [&] {
    for (size_t i = from; i < err_lines_.size(); ++i) {
      if (err_lines_[i].find("reloaded configuration") != std::string::npos) {
        outcome = ReloadOutcome::kReloaded;
        return true;
      }
      if (err_lines_[i].find("reload rejected") != std::string::npos) {
        outcome = ReloadOutcome::kRejected;
        return true;
      }
    }
    return err_closed_;
  });
  return outcome;
}

std::optional<int> TernProcess::wait_exit(Millis timeout) {
  if (exit_code_) return exit_code_;
  const auto deadline = deadline_in(timeout);
  {
    // stderr closes when the process ends: wait on that condition first.
    std::unique_lock lock(mu_);
    changed_.wait_until(lock, deadline, [&] { return err_closed_; });
  }
  for (;;) {
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      exit_code_ = decode_status(status);
      return exit_code_;
    }
    if (r < 0) return std::nullopt;
    if (Clock::now() >= deadline) return std::nullopt;
    // Bounded poll: between stderr EOF and the zombie state there is only the kernel's
    // exit path; waitpid has no timeout variant.
    std::this_thread::sleep_for(Millis(2));
  }
}

bool TernProcess::running() {
  if (exit_code_ || pid_ <= 0) return false;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) == pid_) {
    exit_code_ = decode_status(status);
    return false;
  }
  return true;
}

uint64_t TernProcess::rss_kib() const {
  return std::strtoull(proc_status_field(pid_, "VmRSS").c_str(), nullptr, 10);
}

uint64_t TernProcess::peak_rss_kib() const {
  return std::strtoull(proc_status_field(pid_, "VmHWM").c_str(), nullptr, 10);
}

size_t TernProcess::open_fds() const {
  std::error_code ec;
  size_t n = 0;
  for (std::filesystem::directory_iterator it("/proc/" + std::to_string(pid_) + "/fd", ec), end;
       !ec && it != end; it.increment(ec)) {
    ++n;
  }
  return n;
}

uint64_t TernProcess::cpu_ms() const {
  const std::string stat = read_small_file("/proc/" + std::to_string(pid_) + "/stat");
  const size_t paren = stat.rfind(')');
  if (paren == std::string::npos) return 0;
  // Fields after the command: state is field 3; utime is 14 and stime 15 (proc(5)).
  std::vector<uint64_t> fields;
  const char* p = stat.c_str() + paren + 2;
  for (int i = 3; i <= 15 && *p != '\0'; ++i) {
    char* end = nullptr;
    fields.push_back(i == 3 ? 0 : std::strtoull(p, &end, 10));
    p = std::strchr(p, ' ');
    if (p == nullptr) break;
    ++p;
  }
  if (fields.size() < 13) return 0;
  const uint64_t ticks = fields[11] + fields[12];
  return ticks * 1000 / static_cast<uint64_t>(::sysconf(_SC_CLK_TCK));
}

CommandResult run_tern(const std::vector<std::string>& args,
                       const std::map<std::string, std::string>& env, Millis timeout) {
  Pipe out = make_pipe();
  Pipe err = make_pipe();
  const pid_t pid = spawn_child(args, env, std::nullopt, out.write.get(), err.write.get());
  out.write.reset();
  err.write.reset();
  CommandResult result;
  const auto deadline = deadline_in(timeout);
  bool out_open = true;
  bool err_open = true;
  while ((out_open || err_open) && Clock::now() < deadline) {
    pollfd fds[2] = {{out_open ? out.read.get() : -1, POLLIN, 0},
                     {err_open ? err.read.get() : -1, POLLIN, 0}};
    const auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now()).count();
    if (::poll(fds, 2, static_cast<int>(std::max<int64_t>(left, 0))) <= 0) continue;
    char buf[4096];
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        (i == 0 ? out_open : err_open) = false;
      } else {
        (i == 0 ? result.out : result.err).append(buf, static_cast<size_t>(n));
      }
    }
  }
  int status = 0;
  if (out_open || err_open) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    return result;
  }
  ::waitpid(pid, &status, 0);
  result.exit_code = decode_status(status);
  return result;
}

}  // namespace tern::test
