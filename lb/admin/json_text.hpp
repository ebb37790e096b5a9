// Strings on their way into admin API bodies. Every body is a boost::json value written
// by boost::json::serialize, which escapes '"', '\' and control characters but copies
// every other byte as it is: a string holding bytes that are not UTF-8 (a client-chosen
// request path, say) would make the body invalid JSON (RFC 8259 §8.1). These helpers keep
// the promise that an admin body is always valid JSON: strings that can carry such bytes
// go in through json_string(), and error messages quote values with json_quoted().
//
// Thread affinity: none (pure functions). Ownership: results are returned by value.
#pragma once

#include <boost/json/string.hpp>
#include <cstddef>
#include <string>
#include <string_view>

namespace tern::admin {

// `s` with every byte sequence that is not valid UTF-8 (RFC 3629 §4: overlong forms,
// UTF-16 surrogates, code points above U+10FFFF, truncated or stray bytes) replaced by
// U+FFFD, one per maximal subpart (Unicode §3.9, as browsers and Python do). Valid UTF-8
// comes back unchanged.
std::string sanitize_utf8(std::string_view s);

// A JSON string value holding sanitize_utf8(s).
boost::json::string json_string(std::string_view s);

// `s` as a JSON string literal for an error message ("web-1" with its quotes, control
// characters escaped, so the message stays one line), cut after `max_bytes` (at a UTF-8
// character boundary) and then followed by "...": a hostile value does not make a huge
// message.
std::string json_quoted(std::string_view s, size_t max_bytes = 64);

}  // namespace tern::admin
