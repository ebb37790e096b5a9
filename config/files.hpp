// Reading the files a config names (the config itself, the admin token, the fleet key)
// and checking where a file may be written, with the OS error as text.
//
// Thread affinity: none (blocking I/O on the caller's thread; the loader runs on the
// control thread or in `--check`). Ownership: returns values; keeps nothing.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace tern::config {

// The whole file, or nullopt with `error` set to the reason: the OS error
// ("No such file or directory", "Is a directory") or "larger than N KiB|MiB" when it
// holds more than `max_bytes`.
std::optional<std::string> read_whole_file(const std::string& path, size_t max_bytes,
                                           std::string& error);

// The directory a file at `path` lives in: "dir" of "dir/name", "/" of "/name",
// "." of "name".
std::string parent_directory(const std::string& path);

// Empty when `path` names a file that could be created or replaced in an existing
// directory; else what is wrong, naming the path or its directory.
std::string check_writable_location(const std::string& path);

}  // namespace tern::config
