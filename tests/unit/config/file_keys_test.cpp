// Keys naming files: admin.token_file (read, one trailing newline dropped, never empty),
// admin.state_file (its directory must exist) and fleet_key_file (at least 32 bytes).
// Every problem is an error at the value's position naming the path and the reason.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "config/files.hpp"
#include "config_test_util.hpp"
#include "tests/unit/common/temp_dir.hpp"

namespace tern::config {
namespace {

using Strings = std::vector<std::string>;
using testing_util::errors_of;
using testing_util::kSmallest;
using unit_testing::TempDir;

// `admin:` with one key on line 2 (its value at column 3 + key length + 2).
std::string with_admin(const std::string& key, const std::string& value) {
  return "admin:\n  " + key + ": \"" + value + "\"\n" + std::string(kSmallest);
}

std::string with_fleet_key(const std::string& path) {
  return "fleet_key_file: \"" + path + "\"\n" + std::string(kSmallest);
}

Config load_ok(const std::string& yaml) {
  LoadResult result = load_string(yaml, "t.yaml");
  for (const ConfigError& e : result.errors) ADD_FAILURE() << e.to_string();
  return result.config.value_or(Config{});
}

// --- admin.token_file ------------------------------------------------------------------

TEST(TokenFile, OneTrailingNewlineIsNotPartOfTheToken) {
  TempDir dir;
  for (const char* content : {"s3cr3t-T0ken", "s3cr3t-T0ken\n", "s3cr3t-T0ken\r\n"}) {
    const std::string path = dir.write("admin.token", content);
    const Config c = load_ok(with_admin("token_file", path));
    ASSERT_TRUE(c.admin);
    EXPECT_EQ(c.admin->token_file, path);
    EXPECT_EQ(c.admin->token, "s3cr3t-T0ken") << content;
  }
}

TEST(TokenFile, IsReadAfreshOnEveryLoad) {
  TempDir dir;
  const std::string path = dir.write("admin.token", "first\n");
  EXPECT_EQ(load_ok(with_admin("token_file", path)).admin->token, "first");
  dir.write("admin.token", "second\n");
  EXPECT_EQ(load_ok(with_admin("token_file", path)).admin->token, "second");
}

TEST(TokenFile, AbsentMeansNoToken) {
  const Config c = load_ok("admin: { bind: \"127.0.0.1:0\" }\n" + std::string(kSmallest));
  ASSERT_TRUE(c.admin);
  EXPECT_EQ(c.admin->token_file, "");
  EXPECT_EQ(c.admin->token, "");
  EXPECT_EQ(c.admin->state_file, "");
}

TEST(TokenFile, MissingFileOrDirectoryIsAnErrorWithTheOsReason) {
  TempDir dir;
  const std::string missing = dir.file("absent.token");
  EXPECT_EQ(
      errors_of(with_admin("token_file", missing)),
      Strings{"t.yaml:2:15: token_file: cannot read '" + missing + "': No such file or directory"});
  EXPECT_EQ(errors_of(with_admin("token_file", dir.path())),
            Strings{"t.yaml:2:15: token_file: cannot read '" + dir.path() + "': Is a directory"});
}

TEST(TokenFile, UnreadableFileIsAnError) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads files whatever their mode";
  TempDir dir;
  const std::string path = dir.write("admin.token", "s3cr3t\n");
  ASSERT_EQ(::chmod(path.c_str(), 0200), 0);
  EXPECT_EQ(errors_of(with_admin("token_file", path)),
            Strings{"t.yaml:2:15: token_file: cannot read '" + path + "': Permission denied"});
}

TEST(TokenFile, EmptyTokenIsAnError) {
  TempDir dir;
  for (const char* content : {"", "\n", "\r\n"}) {
    const std::string path = dir.write("admin.token", content);
    EXPECT_EQ(errors_of(with_admin("token_file", path)),
              Strings{"t.yaml:2:15: token_file: '" + path +
                      "' is empty; expected the admin token (one trailing newline is not part "
                      "of it)"})
        << testing::PrintToString(std::string(content));
  }
}

TEST(TokenFile, TokenThatNoClientCanSendIsAnError) {
  TempDir dir;
  for (const char* content :
       {"two words", "two\n\n", "tab\there", " lead", "\x01x", "caf\xc3\xa9"}) {
    const std::string path = dir.write("admin.token", content);
    EXPECT_EQ(errors_of(with_admin("token_file", path)),
              Strings{"t.yaml:2:15: token_file: the token in '" + path +
                      "' contains a blank, a control character or a non-ASCII byte; expected "
                      "visible ASCII characters (one trailing newline is not part of it)"})
        << testing::PrintToString(std::string(content));
  }
}

TEST(TokenFile, HugeFileIsRefusedWithoutReadingItWhole) {
  TempDir dir;
  const std::string path = dir.write("admin.token", std::string(64 * 1024 + 1, 'a'));
  EXPECT_EQ(errors_of(with_admin("token_file", path)),
            Strings{"t.yaml:2:15: token_file: cannot read '" + path + "': larger than 64 KiB"});
}

// --- admin.state_file ------------------------------------------------------------------

TEST(StateFile, PathInAnExistingDirectory) {
  TempDir dir;
  const std::string path = dir.file("targets.json");  // need not exist yet
  const Config c = load_ok(with_admin("state_file", path));
  ASSERT_TRUE(c.admin);
  EXPECT_EQ(c.admin->state_file, path);
  // A relative path lives in the working directory, which exists.
  EXPECT_EQ(load_ok(with_admin("state_file", "targets.json")).admin->state_file, "targets.json");
}

TEST(StateFile, MissingDirectoryIsAnErrorNamingIt) {
  TempDir dir;
  const std::string parent = dir.file("no-such-dir");
  EXPECT_EQ(errors_of(with_admin("state_file", parent + "/targets.json")),
            Strings{"t.yaml:2:15: state_file: directory '" + parent + "' of '" + parent +
                    "/targets.json': No such file or directory; expected a file in an "
                    "existing directory"});
}

TEST(StateFile, ParentThatIsAFileIsAnError) {
  TempDir dir;
  const std::string parent = dir.write("plain", "x");
  EXPECT_EQ(errors_of(with_admin("state_file", parent + "/targets.json")),
            Strings{"t.yaml:2:15: state_file: directory '" + parent + "' of '" + parent +
                    "/targets.json': Not a directory; expected a file in an existing directory"});
}

TEST(StateFile, DirectoryItselfIsAnError) {
  TempDir dir;
  EXPECT_EQ(errors_of(with_admin("state_file", dir.path())),
            Strings{"t.yaml:2:15: state_file: '" + dir.path() +
                    "' is a directory; expected a file path"});
  EXPECT_EQ(errors_of(with_admin("state_file", dir.path() + "/")),
            Strings{"t.yaml:2:15: state_file: '" + dir.path() +
                    "/' ends with '/'; expected a file path"});
  EXPECT_EQ(errors_of(with_admin("state_file", "")),
            Strings{"t.yaml:2:15: state_file: must not be empty"});
}

TEST(StateFile, UnknownAdminKeyListsIt) {
  EXPECT_EQ(errors_of("admin: { state: x }\n" + std::string(kSmallest)),
            Strings{"t.yaml:1:10: unknown key 'state' in admin; expected one of: bind, "
                    "token_file, state_file"});
}

// --- fleet_key_file --------------------------------------------------------------------

TEST(FleetKeyFile, KeepsTheBytesAsTheyAre) {
  TempDir dir;
  std::string key(32, '\0');
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<char>(i * 37 + 10);
  key += "\n";  // part of the key: only the token drops a newline
  const std::string path = dir.write("fleet.key", key);
  const Config c = load_ok(with_fleet_key(path));
  EXPECT_EQ(c.fleet_key_file, path);
  EXPECT_EQ(c.fleet_key, key);
}

TEST(FleetKeyFile, AbsentMeansPerProcessKeys) {
  const Config c = load_ok(std::string(kSmallest));
  EXPECT_EQ(c.fleet_key_file, "");
  EXPECT_EQ(c.fleet_key, "");
}

TEST(FleetKeyFile, ShorterThan32BytesIsAnError) {
  TempDir dir;
  const std::string path = dir.write("fleet.key", std::string(31, 'k'));
  EXPECT_EQ(errors_of(with_fleet_key(path)),
            Strings{"t.yaml:1:17: fleet_key_file: '" + path +
                    "' holds 31 bytes; expected at least 32 random bytes (e.g. from head -c 32 "
                    "/dev/urandom)"});
  const std::string empty = dir.write("empty.key", "");
  EXPECT_EQ(errors_of(with_fleet_key(empty)).size(), 1u);
}

TEST(FleetKeyFile, UnreadableIsAnErrorWithTheOsReason) {
  TempDir dir;
  const std::string missing = dir.file("absent.key");
  EXPECT_EQ(errors_of(with_fleet_key(missing)),
            Strings{"t.yaml:1:17: fleet_key_file: cannot read '" + missing +
                    "': No such file or directory"});
  EXPECT_EQ(errors_of(with_fleet_key("")),
            Strings{"t.yaml:1:17: fleet_key_file: must not be empty"});
}

TEST(FleetKeyFile, UnreadableByPermissionIsAnError) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads files whatever their mode";
  TempDir dir;
  const std::string path = dir.write("fleet.key", std::string(32, 'k'));
  ASSERT_EQ(::chmod(path.c_str(), 0), 0);
  EXPECT_EQ(errors_of(with_fleet_key(path)),
            Strings{"t.yaml:1:17: fleet_key_file: cannot read '" + path + "': Permission denied"});
}

// --- the file helpers ------------------------------------------------------------------

TEST(Files, ParentDirectory) {
  EXPECT_EQ(parent_directory("a/b"), "a");
  EXPECT_EQ(parent_directory("a//b"), "a");
  EXPECT_EQ(parent_directory("/a/b/c.json"), "/a/b");
  EXPECT_EQ(parent_directory("/x"), "/");
  EXPECT_EQ(parent_directory("//x"), "/");
  EXPECT_EQ(parent_directory("x"), ".");
}

TEST(Files, ReadWholeFileStopsAtTheLimit) {
  TempDir dir;
  const std::string path = dir.write("f", std::string(100, 'x'));
  std::string error;
  EXPECT_EQ(read_whole_file(path, 100, error), std::string(100, 'x'));
  EXPECT_FALSE(read_whole_file(path, 99, error));
  EXPECT_EQ(error, "larger than 99 bytes");
}

}  // namespace
}  // namespace tern::config
