// The IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT", RFC 9110 §5.6.7) for local replies,
// formatted at most once per second instead of once per response.
//
// Thread affinity: one worker (each worker owns its cache). Ownership: by value.
#pragma once

#include <ctime>
#include <string_view>

namespace tern::core {

class DateCache {
 public:
  // The current date; reformats only when the wall-clock second changed.
  std::string_view now();

  // Pure formatter, exposed for tests.
  static void format(std::time_t secs, char (&out)[32]);

 private:
  std::time_t second_ = -1;
  char text_[32] = {};
};

}  // namespace tern::core
