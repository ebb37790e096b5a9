#include "lb/core/log.hpp"

#include <unistd.h>

#include <chrono>
#include <ctime>
#include <string>

namespace tern::core {

namespace {

std::string_view level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

}  // namespace

void log_line(LogLevel level, std::string_view message) {
  using namespace std::chrono;
  auto now = system_clock::now();
  std::time_t secs = system_clock::to_time_t(now);
  auto millis = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char stamp[40];
  size_t n = std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string line(stamp, n);
  char frac[8];
  std::snprintf(frac, sizeof frac, ".%03dZ ", static_cast<int>(millis));
  line += frac;
  line += level_name(level);
  line += ' ';
  line += message;
  line += '\n';
  // A short write to stderr is not worth retrying for a log line.
  [[maybe_unused]] auto written = ::write(STDERR_FILENO, line.data(), line.size());
}

void log_task_failure(std::string_view what, const std::exception_ptr& e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    log_error(std::string(what) + ": " + ex.what());
  } catch (...) {
    log_error(std::string(what) + ": unknown exception");
  }
}

}  // namespace tern::core
