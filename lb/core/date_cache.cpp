#include "lb/core/date_cache.hpp"

#include <cstdio>

namespace tern::core {

void DateCache::format(std::time_t secs, char (&out)[32]) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm tm{};
  gmtime_r(&secs, &tm);
  std::snprintf(out, sizeof out, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
}

std::string_view DateCache::now() {
  std::time_t secs = std::time(nullptr);
  if (secs != second_) {
    second_ = secs;
    format(secs, text_);
  }
  return {text_, 29};
}

}  // namespace tern::core
