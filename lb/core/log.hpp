// Process log: one line per event on stderr, "<UTC time> <level> <message>".
//
// Thread affinity: any thread; each line is written with a single write(2), so lines from
// different threads never interleave. Used for lifecycle events and rare errors, never
// per request (the access log is a separate, later component).
#pragma once

#include <exception>
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

// Logs an exception that escaped a co_spawn'ed task ("<what>: <message>"); nothing for
// a null pointer. Every co_spawn completion handler calls this (`detached` would drop it).
void log_task_failure(std::string_view what, const std::exception_ptr& e);

}  // namespace tern::core
