// A private directory under /tmp for unit tests that need real files (token, fleet key
// and state files); removed with its content on destruction, also after a test took
// permissions away from it.
//
// Thread affinity: test thread only. Ownership: owns the directory.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

namespace tern::unit_testing {

class TempDir {
 public:
  TempDir() {
    char name[] = "/tmp/tern-unit-test-XXXXXX";
    if (::mkdtemp(name) != nullptr) path_ = name;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ignored);
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
  // Names of the entries of the directory (hidden ones too).
  std::set<std::string> entries() const {
    std::set<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(path_)) {
      names.insert(e.path().filename().string());
    }
    return names;
  }

 private:
  std::string path_;
};

}  // namespace tern::unit_testing
