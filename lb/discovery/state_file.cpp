#include "lb/discovery/state_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

namespace tern::discovery {
namespace {

// A state file lists registered targets: a few hundred bytes each. Anything this large is
// not one of ours, and is refused rather than read whole.
constexpr size_t kMaxFileBytes = 64 * 1024 * 1024;
constexpr mode_t kFileMode = 0640;

// Closes on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // Closes now and reports close(2)'s error (a delayed write error surfaces here).
  int close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

std::string os_error(int error) {
  return std::strerror(error);
}

// "dir" of "dir/name", "/" of "/name", "." of "name".
std::string directory_of(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  const size_t end = path.find_last_not_of('/', slash);
  return end == std::string::npos ? "/" : path.substr(0, end + 1);
}

std::string base_name(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Reads the whole file; errno-style error code, 0 on success.
int read_all(int fd, std::string& out) {
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    if (n == 0) return 0;
    out.append(buffer, static_cast<size_t>(n));
    if (out.size() > kMaxFileBytes) return EFBIG;
  }
}

int write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return 0;
}

// Writes, syncs and closes the temporary file; "" or the failed step with its error.
std::string fill_temp(Fd& fd, std::string_view content) {
  // mkstemp creates 0600 (less the umask); the state file's mode must not depend on it.
  if (::fchmod(fd.get(), kFileMode) != 0) return "chmod: " + os_error(errno);
  if (const int e = write_all(fd.get(), content); e != 0) return "write: " + os_error(e);
  if (::fsync(fd.get()) != 0) return "fsync: " + os_error(errno);
  if (fd.close() != 0) return "close: " + os_error(errno);
  return {};
}

// The rename is durable only once the directory entry is on disk (fsync of the directory).
std::string sync_directory(const std::string& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return "opening directory " + dir + ": " + os_error(errno);
  if (::fsync(fd.get()) != 0) return "fsync of directory " + dir + ": " + os_error(errno);
  return {};
}

}  // namespace

LoadedState load_state_file(const std::string& path) {
  LoadedState state;
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno != ENOENT) state.error = "state file " + path + ": cannot read: " + os_error(errno);
    return state;  // a missing file is a first start
  }
  std::string text;
  if (const int e = read_all(fd.get(), text); e != 0) {
    state.error = "state file " + path +
                  ": cannot read: " + (e == EFBIG ? "larger than 64 MiB" : os_error(e));
    return state;
  }
  state = decode_state(text);
  if (!state.error.empty()) state.error = "state file " + path + ": " + state.error;
  return state;
}

std::string write_state_file(const std::string& path, const std::vector<StateTarget>& targets) {
  const std::string prefix = "cannot write state file " + path + ": ";
  const std::string dir = directory_of(path);
  // Hidden, unique, and in the same directory (a rename never crosses file systems).
  std::string temp = dir + "/." + base_name(path) + ".tmp-XXXXXX";
  Fd fd(::mkostemp(temp.data(), O_CLOEXEC));
  if (fd.get() < 0) return prefix + "creating a temporary file in " + dir + ": " + os_error(errno);
  std::string error = fill_temp(fd, encode_state(targets) + "\n");
  if (error.empty() && ::rename(temp.c_str(), path.c_str()) != 0) {
    error = "rename: " + os_error(errno);
  }
  if (!error.empty()) {
    ::unlink(temp.c_str());
    return prefix + error;
  }
  if (std::string e = sync_directory(dir); !e.empty()) return prefix + e;
  return {};
}

}  // namespace tern::discovery
