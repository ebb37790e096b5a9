#include "config/units.hpp"

#include <array>
#include <charconv>
#include <limits>
#include <utility>

namespace tern::config {
namespace {

struct Unit {
  std::string_view suffix;
  uint64_t factor;
};

// Longest suffixes first so that "ms" is not read as "m" followed by garbage.
constexpr std::array<Unit, 5> kDurationUnits{{
    {"ms", 1},
    {"s", 1000},
    {"m", 60 * 1000},
    {"h", 60 * 60 * 1000},
    {"d", 24 * 60 * 60 * 1000},
}};

constexpr std::array<Unit, 7> kSizeUnits{{
    {"KiB", uint64_t{1} << 10},
    {"MiB", uint64_t{1} << 20},
    {"GiB", uint64_t{1} << 30},
    {"KB", 1000},
    {"MB", 1000 * 1000},
    {"GB", 1000 * 1000 * 1000},
    {"B", 1},
}};

// Splits "250ms" into 250 and "ms"; nullopt when there are no leading digits.
std::optional<std::pair<uint64_t, std::string_view>> split_number(std::string_view text) {
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0) return std::nullopt;
  auto number = parse_unsigned(text.substr(0, digits));
  if (!number) return std::nullopt;
  return std::pair{*number, text.substr(digits)};
}

template <size_t N>
std::optional<uint64_t> scale(std::string_view text, const std::array<Unit, N>& units,
                              uint64_t bare_factor, uint64_t max) {
  auto split = split_number(text);
  if (!split) return std::nullopt;
  auto [number, suffix] = *split;
  uint64_t factor = 0;
  if (suffix.empty()) factor = bare_factor;
  for (const Unit& unit : units) {
    if (suffix == unit.suffix) factor = unit.factor;
  }
  if (factor == 0 || number > max / factor) return std::nullopt;
  return number * factor;
}

template <size_t N>
bool has_syntax(std::string_view text, const std::array<Unit, N>& units) {
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0) return false;
  const std::string_view suffix = text.substr(digits);
  if (suffix.empty()) return true;
  for (const Unit& unit : units) {
    if (suffix == unit.suffix) return true;
  }
  return false;
}

}  // namespace

bool has_duration_syntax(std::string_view text) {
  return has_syntax(text, kDurationUnits);
}
bool has_size_syntax(std::string_view text) {
  return has_syntax(text, kSizeUnits);
}

std::optional<uint64_t> parse_unsigned(std::string_view text) {
  if (text.empty()) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<Duration> parse_duration(std::string_view text) {
  constexpr auto kMax = static_cast<uint64_t>(std::numeric_limits<Duration::rep>::max());
  auto ms = scale(text, kDurationUnits, 1000, kMax);
  if (!ms) return std::nullopt;
  return Duration(static_cast<Duration::rep>(*ms));
}

std::optional<uint64_t> parse_size(std::string_view text) {
  return scale(text, kSizeUnits, 1, std::numeric_limits<uint64_t>::max());
}

std::string format_duration(Duration d) {
  const auto ms = d.count();
  if (ms == 0) return "0s";
  for (auto it = kDurationUnits.rbegin(); it != kDurationUnits.rend(); ++it) {
    const auto factor = static_cast<Duration::rep>(it->factor);
    if (ms % factor == 0) {
      return std::to_string(ms / factor) + std::string(it->suffix);
    }
  }
  return std::to_string(ms) + "ms";  // unreachable: every value divides by 1 ms
}

std::string format_duration_range(Duration low, Duration high) {
  const std::string low_text = format_duration(low);
  for (const Unit& unit : kDurationUnits) {
    if (!low_text.ends_with(unit.suffix) || low_text.ends_with("ms") != (unit.suffix == "ms")) {
      continue;
    }
    const auto factor = static_cast<Duration::rep>(unit.factor);
    const auto count = high.count() / factor;
    if (high.count() % factor == 0 && count < 10000) {
      return low_text + ".." + std::to_string(count) + std::string(unit.suffix);
    }
  }
  return low_text + ".." + format_duration(high);
}

std::string format_size(uint64_t bytes) {
  constexpr std::array<Unit, 3> kBinary{
      {{"GiB", uint64_t{1} << 30}, {"MiB", uint64_t{1} << 20}, {"KiB", uint64_t{1} << 10}}};
  for (const Unit& unit : kBinary) {
    if (bytes != 0 && bytes % unit.factor == 0) {
      return std::to_string(bytes / unit.factor) + std::string(unit.suffix);
    }
  }
  return std::to_string(bytes) + "B";
}

}  // namespace tern::config
