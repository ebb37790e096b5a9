// Quoting config values inside error messages.
//
// Values come from the user's file and may hold control characters or be very long; a
// message must stay one readable line. Thread affinity: none (pure). Ownership: values.
#pragma once

#include <string>
#include <string_view>

namespace tern::config {

// 'text' with quotes, backslashes and non-printable bytes escaped (\', \\, \xNN) and
// values over 80 characters cut to their first 77 followed by "...".
std::string quote(std::string_view text);

}  // namespace tern::config
