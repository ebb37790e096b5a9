#include "config/files.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "config/text.hpp"

namespace tern::config {
namespace {

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

std::string describe_size(size_t bytes) {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
    return std::to_string(bytes / (1024 * 1024)) + " MiB";
  }
  if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes / 1024) + " KiB";
  return std::to_string(bytes) + " bytes";
}

}  // namespace

std::optional<std::string> read_whole_file(const std::string& path, size_t max_bytes,
                                           std::string& error) {
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  std::string text;
  char buffer[65536];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) {
    text.append(buffer, n);
    if (text.size() > max_bytes) {
      error = "larger than " + describe_size(max_bytes);
      return std::nullopt;
    }
  }
  if (std::ferror(file.get())) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  return text;
}

std::string parent_directory(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  const size_t end = path.find_last_not_of('/', slash);
  if (end == std::string::npos) return "/";
  return path.substr(0, end + 1);
}

std::string check_writable_location(const std::string& path) {
  if (path.back() == '/') return quote(path) + " ends with '/'; expected a file path";
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    return quote(path) + " is a directory; expected a file path";
  }
  const std::string dir = parent_directory(path);
  if (::stat(dir.c_str(), &st) != 0) {
    return "directory " + quote(dir) + " of " + quote(path) + ": " + std::strerror(errno) +
           "; expected a file in an existing directory";
  }
  if (!S_ISDIR(st.st_mode)) {
    return "directory " + quote(dir) + " of " + quote(path) + ": " + std::strerror(ENOTDIR) +
           "; expected a file in an existing directory";
  }
  return {};
}

}  // namespace tern::config
