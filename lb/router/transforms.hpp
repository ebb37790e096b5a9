// A rule's transforms (spec: "transforms"; ALB "Transforms for listener rules"), applied
// after routing to a request that is forwarded: they never change which rule matched.
//  - url_rewrite: the regex runs on the normalized path plus "?query" and the first match
//    is replaced (RE2::Replace; "$1".."$9" in `replace` are the groups, "$0" the whole
//    match). The result must be a valid origin-form target ('/' then visible ASCII, no
//    '#', valid escapes) whose path normalizes; it is forwarded normalized.
//  - host_header_rewrite: the regex (case-insensitive, like host conditions) runs on the
//    host as rules see it, without the port; the client's port is appended again. The
//    result must be a valid Host value.
// No match leaves that part as it was; a match whose result is invalid fails the whole
// request (ALB answers 500).
//
// Thread affinity: compiled on the control thread, then immutable and applied by every
// worker concurrently. Ownership: owns its RE2 objects; movable, not copyable.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "lb/router/compile_error.hpp"
#include "lb/router/request.hpp"

namespace re2 {
class RE2;
}

namespace tern::router {

// What to send to the target. Caller-owned and reused across requests.
struct Rewritten {
  std::string target;           // request-target: normalized path[?query], or the rewrite
  std::string host;             // Host value to send, when host_rewritten
  bool host_rewritten = false;  // else Host goes as the client sent it (or the authority)
  std::string scratch;          // working space
};

enum class TransformStatus : uint8_t { kOk, kFailed /* answer 500 */ };

class Transforms {
 public:
  static Transforms compile(const config::Transforms& transforms,
                            std::vector<CompileError>& errors);

  Transforms();
  Transforms(Transforms&&) noexcept;
  Transforms& operator=(Transforms&&) noexcept;
  ~Transforms();

  bool empty() const { return !url_regex_ && !host_regex_; }

  // Fills `out` for a forwarded request (also when there is nothing to rewrite).
  TransformStatus apply(const Request& request, Rewritten& out) const;

 private:
  std::unique_ptr<re2::RE2> url_regex_;
  std::string url_replace_;  // in RE2's "\1" syntax
  std::unique_ptr<re2::RE2> host_regex_;
  std::string host_replace_;
};

// "$1" -> "\1" (RE2's rewrite syntax), a literal '\' -> "\\".
std::string to_re2_rewrite(std::string_view replace);

}  // namespace tern::router
