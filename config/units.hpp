// Durations and sizes as written in tern config files: pure parsing and formatting.
//
// Durations: a bare integer is seconds (as in ALB/Terraform); a string carries one unit:
// `ms`, `s`, `m`, `h`, `d` (`250ms`, `30s`, `5m`, `1h`, `1d`).
// Sizes: a bare integer is bytes; a string carries one unit: `B`, `KiB`, `MiB`, `GiB`
// (powers of 1024) or `KB`, `MB`, `GB` (powers of 1000, as SI defines them).
// No sign, no fraction, no blanks, no overflow; anything else yields nullopt.
//
// Thread affinity: none (pure functions). Ownership: values only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.hpp"

namespace tern::config {

std::optional<Duration> parse_duration(std::string_view text);
std::optional<uint64_t> parse_size(std::string_view text);

// True when `text` has the shape of a duration / size (digits, then nothing or a known
// unit) even if its value overflows: lets messages say "too large" instead of "invalid".
bool has_duration_syntax(std::string_view text);
bool has_size_syntax(std::string_view text);

// Plain non-negative decimal integer ("0", "42"); nullopt on anything else or overflow.
std::optional<uint64_t> parse_unsigned(std::string_view text);

// Shortest exact spelling with the largest unit that divides the value: "250ms", "30s",
// "5m", "1h", "7d", "4000s".
std::string format_duration(Duration d);

// "LOW..HIGH" for messages; HIGH uses LOW's unit when that takes at most 4 digits, as in
// "1s..4000s", "0s..3600s", "100ms..1h", "1s..7d".
std::string format_duration_range(Duration low, Duration high);

// Exact spelling with the largest binary unit that divides the value: "64KiB", "1MiB", "100B".
std::string format_size(uint64_t bytes);

// Human explanation of the accepted syntax, for error messages.
inline constexpr std::string_view kDurationSyntax =
    "an integer number of seconds or a number with a unit ms, s, m, h or d (e.g. 250ms, 30s)";
inline constexpr std::string_view kSizeSyntax =
    "an integer number of bytes or a number with a unit B, KiB, MiB, GiB, KB, MB or GB "
    "(e.g. 64KiB)";

}  // namespace tern::config
