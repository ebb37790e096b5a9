#include "config/syntax.hpp"

#include <array>

#include "config/text.hpp"
#include "config/units.hpp"

namespace tern::config {
namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_visible(char c) {
  return c > 0x20 && c < 0x7f;
}

// RFC 9110 section 5.6.2 tchar.
bool is_tchar(char c) {
  return is_alnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// nullopt when every character is alphanumeric or one of `extra`.
SyntaxError check_chars(std::string_view text, std::string_view extra, size_t max_length,
                        std::string_view allowed_text) {
  if (text.empty()) return "must not be empty";
  if (text.size() > max_length) {
    return "is longer than " + std::to_string(max_length) + " characters";
  }
  for (char c : text) {
    if (!is_alnum(c) && extra.find(c) == std::string_view::npos) {
      return "character " + quote(std::string_view(&c, 1)) + " is not allowed; expected " +
             std::string(allowed_text);
    }
  }
  return std::nullopt;
}

std::optional<int> parse_code(std::string_view text, int low, int high, std::string& error) {
  auto code = parse_unsigned(text);
  if (!code || text.size() != 3) {
    error = quote(text) + " is not a status code";
    return std::nullopt;
  }
  if (static_cast<int>(*code) < low || static_cast<int>(*code) > high) {
    error = "status code " + std::string(text) + " is out of range " + std::to_string(low) + ".." +
            std::to_string(high);
    return std::nullopt;
  }
  return static_cast<int>(*code);
}

std::optional<StatusRange> parse_code_range(std::string_view item, int low, int high,
                                            std::string& error) {
  const size_t dash = item.find('-');
  auto first = parse_code(item.substr(0, dash), low, high, error);
  if (!first) return std::nullopt;
  if (dash == std::string_view::npos) return StatusRange{*first, *first};
  auto last = parse_code(item.substr(dash + 1), low, high, error);
  if (!last) return std::nullopt;
  if (*last < *first) {
    error = "range " + quote(item) + " ends before it starts";
    return std::nullopt;
  }
  return StatusRange{*first, *last};
}

}  // namespace

SyntaxError check_object_name(std::string_view text) {
  return check_chars(text, "-_.", 64, "letters, digits, '-', '_' and '.'");
}

SyntaxError check_host_pattern(std::string_view text) {
  return check_chars(text, "-._*?", 128, "letters, digits, '-', '_', '.', '*' and '?'");
}

SyntaxError check_path_pattern(std::string_view text) {
  return check_chars(text, "_-.$/~\"'@:+&*?%!(),;=", 128,
                     "letters, digits and _ - . $ / ~ \" ' @ : + & * ? % ! ( ) , ; =");
}

SyntaxError check_header_value_pattern(std::string_view text) {
  if (text.empty()) return "must not be empty";
  if (text.size() > 128) return "is longer than 128 characters";
  for (char c : text) {
    if (!is_visible(c) && c != ' ') return "control characters are not allowed";
  }
  return std::nullopt;
}

SyntaxError check_query_pattern(std::string_view text, bool is_key) {
  if (auto error = check_header_value_pattern(text)) return error;
  if (text.find('&') != std::string_view::npos) return "'&' separates pairs and cannot match";
  if (is_key && text.find('=') != std::string_view::npos) {
    return "'=' separates key and value and cannot be part of a key";
  }
  return std::nullopt;
}

SyntaxError check_header_name(std::string_view text) {
  if (text.empty()) return "must not be empty";
  if (text.size() > 40) return "is longer than 40 characters";
  for (char c : text) {
    if (!is_tchar(c))
      return "character " + quote(std::string_view(&c, 1)) + " is not allowed in a header name";
  }
  return std::nullopt;
}

SyntaxError check_method(std::string_view text) {
  if (text.empty()) return "must not be empty";
  if (text.size() > 40) return "is longer than 40 characters";
  for (char c : text) {
    if (!((c >= 'A' && c <= 'Z') || c == '-' || c == '_')) {
      return quote(text) + " is not a method; expected upper-case letters, '-' and '_'";
    }
  }
  return std::nullopt;
}

std::optional<std::vector<StatusRange>> parse_matcher(std::string_view text, int low, int high,
                                                      std::string& error) {
  std::vector<StatusRange> ranges;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    auto range = parse_code_range(text.substr(start, end - start), low, high, error);
    if (!range) return std::nullopt;
    ranges.push_back(*range);
    start = end + 1;
  }
  return ranges;
}

SyntaxError check_placeholders(std::string_view text) {
  constexpr std::array<std::string_view, 5> kNames{"protocol", "host", "port", "path", "query"};
  size_t at = text.find("#{");
  while (at != std::string_view::npos) {
    const size_t close = text.find('}', at);
    if (close == std::string_view::npos) return "unterminated placeholder '#{'";
    const std::string_view name = text.substr(at + 2, close - at - 2);
    bool known = false;
    for (std::string_view candidate : kNames) known = known || name == candidate;
    if (!known) {
      return "unknown placeholder '#{" + std::string(name) +
             "}'; expected #{protocol}, #{host}, #{port}, #{path} or #{query}";
    }
    at = text.find("#{", close);
  }
  return std::nullopt;
}

SyntaxError check_health_path(std::string_view text) {
  if (text.empty() || text.front() != '/') return "must start with '/'";
  return check_visible(text, 1024);
}

SyntaxError check_cookie_name(std::string_view text) {
  if (text.empty()) return "must not be empty";
  if (text.size() > 255) return "is longer than 255 characters";
  for (char c : text) {
    if (!is_tchar(c))
      return "character " + quote(std::string_view(&c, 1)) + " is not allowed in a cookie name";
  }
  if (text.substr(0, 6) == "AWSALB") {
    return "names starting with AWSALB are reserved for the load balancer's own cookies";
  }
  return std::nullopt;
}

SyntaxError check_visible(std::string_view text, size_t max_length) {
  if (text.empty()) return "must not be empty";
  if (text.size() > max_length) {
    return "is longer than " + std::to_string(max_length) + " characters";
  }
  for (char c : text) {
    if (!is_visible(c)) return "blanks and control characters are not allowed";
  }
  return std::nullopt;
}

}  // namespace tern::config
