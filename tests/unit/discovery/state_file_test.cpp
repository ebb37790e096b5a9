// The state file on disk: missing = first start, damaged = an error naming the file, and
// writes that are atomic (old file intact on failure, no temporary file left behind) and
// always mode 0640.
#include "lb/discovery/state_file.hpp"

#include "tests/unit/common/temp_dir.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace tern::discovery {
namespace {

using Targets = std::vector<StateTarget>;

const Targets kOld = {{"app", "10.0.1.5", 8000}, {"app", "::1", 8001}};
const Targets kNew = {{"api", "2001:db8::5", 443}};

using unit_testing::TempDir;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

mode_t mode_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

// Runs `fn` where file permissions bite: as is when the test is not root, else in a child
// process as user and group nobody (65534). Returns what `fn` returned.
std::string as_nobody(const std::function<std::string()>& fn) {
  if (::geteuid() != 0) return fn();
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return "pipe failed";
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(pipe_fds[0]);
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(2);
    const std::string result = fn();
    const ssize_t written = ::write(pipe_fds[1], result.data(), result.size());
    ::_exit(written == static_cast<ssize_t>(result.size()) ? 0 : 3);
  }
  ::close(pipe_fds[1]);
  std::string result;
  char buffer[4096];
  ssize_t n = 0;
  while ((n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0) {
    result.append(buffer, static_cast<size_t>(n));
  }
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
  return result;
}

TEST(StateFile, MissingFileIsAFirstStart) {
  TempDir dir;
  const LoadedState s = load_state_file(dir.file("targets.json"));
  EXPECT_EQ(s.error, "");
  EXPECT_TRUE(s.targets.empty());
}

TEST(StateFile, WriteThenLoadRoundTrips) {
  TempDir dir;
  const std::string path = dir.file("targets.json");
  ASSERT_EQ(write_state_file(path, kOld), "");
  EXPECT_EQ(read_file(path), encode_state(kOld) + "\n");
  LoadedState s = load_state_file(path);
  EXPECT_EQ(s.error, "");
  EXPECT_EQ(s.targets, kOld);
  ASSERT_EQ(write_state_file(path, kNew), "");
  EXPECT_EQ(load_state_file(path).targets, kNew);
  ASSERT_EQ(write_state_file(path, {}), "");
  s = load_state_file(path);
  EXPECT_EQ(s.error, "");
  EXPECT_TRUE(s.targets.empty());
  EXPECT_EQ(dir.entries(), std::set<std::string>{"targets.json"}) << "a temporary file is left";
}

TEST(StateFile, RelativePathIsInTheWorkingDirectory) {
  TempDir dir;
  const std::string cwd = std::filesystem::current_path().string();
  ASSERT_EQ(::chdir(dir.path().c_str()), 0);
  const std::string error = write_state_file("targets.json", kOld);
  const LoadedState s = load_state_file("targets.json");
  ASSERT_EQ(::chdir(cwd.c_str()), 0);
  EXPECT_EQ(error, "");
  EXPECT_EQ(s.targets, kOld);
  EXPECT_EQ(dir.entries(), std::set<std::string>{"targets.json"});
}

TEST(StateFile, ModeIs0640WhateverTheUmask) {
  TempDir dir;
  for (const mode_t mask : {mode_t{0}, mode_t{022}, mode_t{077}, mode_t{0777}}) {
    const mode_t old = ::umask(mask);
    const std::string error = write_state_file(dir.file("targets.json"), kOld);
    ::umask(old);
    ASSERT_EQ(error, "") << mask;
    EXPECT_EQ(mode_of(dir.file("targets.json")), mode_t{0640}) << "umask " << mask;
  }
}

TEST(StateFile, ReplacesAnExistingFileOfAnotherMode) {
  TempDir dir;
  const std::string path = dir.write("targets.json", "old");
  ASSERT_EQ(::chmod(path.c_str(), 0666), 0);
  ASSERT_EQ(write_state_file(path, kNew), "");
  EXPECT_EQ(mode_of(path), mode_t{0640});
  EXPECT_EQ(load_state_file(path).targets, kNew);
}

TEST(StateFile, DamagedFileIsAnErrorNamingIt) {
  TempDir dir;
  const std::string path = dir.write("targets.json", R"({"version":1,"targets":[{"ip":1}]})");
  LoadedState s = load_state_file(path);
  EXPECT_EQ(s.error, "state file " + path +
                         ": targets[0]: unknown key \"ip\"; expected target_group, id, port");
  EXPECT_TRUE(s.targets.empty());

  const std::string whole = encode_state(kOld) + "\n";
  dir.write("targets.json", whole.substr(0, whole.size() / 2));
  s = load_state_file(path);
  EXPECT_EQ(s.error.rfind("state file " + path + ": truncated", 0), 0u) << s.error;
  EXPECT_TRUE(s.targets.empty());

  dir.write("targets.json", "");
  EXPECT_EQ(load_state_file(path).error,
            "state file " + path + ": empty; expected a JSON object (truncated?)");
}

TEST(StateFile, UnreadableIsAnErrorNamingIt) {
  TempDir dir;
  EXPECT_EQ(load_state_file(dir.path()).error,
            "state file " + dir.path() + ": cannot read: Is a directory");
  const std::string file = dir.write("plain", "x");
  EXPECT_EQ(load_state_file(file + "/targets.json").error,
            "state file " + file + "/targets.json: cannot read: Not a directory");
  const std::string path = dir.write("targets.json", encode_state(kOld));
  ASSERT_EQ(::chmod(path.c_str(), 0), 0);
  ASSERT_EQ(::chmod(dir.path().c_str(), 0755), 0);
  EXPECT_EQ(as_nobody([&] { return load_state_file(path).error; }),
            "state file " + path + ": cannot read: Permission denied");
}

TEST(StateFile, WriteIntoMissingDirectoryFails) {
  TempDir dir;
  const std::string path = dir.file("gone/targets.json");
  EXPECT_EQ(write_state_file(path, kOld), "cannot write state file " + path +
                                              ": creating a temporary file in " + dir.file("gone") +
                                              ": No such file or directory");
  EXPECT_TRUE(dir.entries().empty());
}

TEST(StateFile, WriteUnderARegularFileFails) {
  TempDir dir;
  const std::string file = dir.write("plain", "keep");
  const std::string path = file + "/targets.json";
  EXPECT_EQ(write_state_file(path, kOld), "cannot write state file " + path +
                                              ": creating a temporary file in " + file +
                                              ": Not a directory");
  EXPECT_EQ(read_file(file), "keep");
  EXPECT_EQ(dir.entries(), std::set<std::string>{"plain"});
}

TEST(StateFile, FailedRenameRemovesTheTemporaryFile) {
  TempDir dir;
  // A non-empty directory where the file should be: the rename over it fails after the
  // temporary file was written and synced.
  const std::string path = dir.file("targets.json");
  ASSERT_TRUE(std::filesystem::create_directory(path));
  std::ofstream(path + "/inside") << "keep";
  const std::string error = write_state_file(path, kNew);
  EXPECT_EQ(error, "cannot write state file " + path + ": rename: Is a directory");
  EXPECT_EQ(dir.entries(), std::set<std::string>{"targets.json"}) << "a temporary file is left";
  EXPECT_EQ(read_file(path + "/inside"), "keep");
}

TEST(StateFile, ReadOnlyDirectoryKeepsTheOldFile) {
  TempDir dir;
  const std::string path = dir.file("targets.json");
  ASSERT_EQ(write_state_file(path, kOld), "");
  const std::string before = read_file(path);
  ASSERT_EQ(::chmod(dir.path().c_str(), 0555), 0);
  const std::string error = as_nobody([&] { return write_state_file(path, kNew); });
  ASSERT_EQ(::chmod(dir.path().c_str(), 0755), 0);
  EXPECT_EQ(error, "cannot write state file " + path + ": creating a temporary file in " +
                       dir.path() + ": Permission denied");
  EXPECT_EQ(read_file(path), before);
  EXPECT_EQ(load_state_file(path).targets, kOld);
  EXPECT_EQ(dir.entries(), std::set<std::string>{"targets.json"});
}

}  // namespace
}  // namespace tern::discovery
