// Process log: one line per event on stderr, "<UTC time> <level> <message>".
//
// Thread affinity: any thread; each line is written with a single write(2), so lines from
// different threads never interleave. Used for lifecycle events and rare errors, never
// per request (the access log is a separate, later component).
#pragma once

#include <string_view>

namespace tern::core {

enum class LogLevel { kInfo, kWarn, kError };

void log_line(LogLevel level, std::string_view message);

inline void log_info(std::string_view message) {
  log_line(LogLevel::kInfo, message);
}
inline void log_warn(std::string_view message) {
  log_line(LogLevel::kWarn, message);
}
inline void log_error(std::string_view message) {
  log_line(LogLevel::kError, message);
}

}  // namespace tern::core
