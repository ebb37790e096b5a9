// A private directory under /tmp for tests that need real files (the token, fleet key and
// state files a config names); removed with its content on destruction.
//
// Thread affinity: test thread only. Ownership: owns the directory.
#pragma once

#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace tern::config::testing_util {

class TempDir {
 public:
  TempDir() {
    char name[] = "/tmp/tern-config-test-XXXXXX";
    if (::mkdtemp(name) != nullptr) path_ = name;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path()/name, whether or not it exists.
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  // Writes `content` to path()/name (binary, replacing) and returns that path.
  std::string write(const std::string& name, const std::string& content) const {
    std::ofstream(file(name), std::ios::binary | std::ios::trunc) << content;
    return file(name);
  }

 private:
  std::string path_;
};

}  // namespace tern::config::testing_util
