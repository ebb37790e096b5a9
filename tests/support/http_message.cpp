#include "tests/support/http_message.hpp"

#include <cctype>

namespace tern::test {
namespace {

bool is_tchar(char c) {
  if (std::isalnum(static_cast<unsigned char>(c))) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Splits on CRLF; a bare CR or LF is an error (RFC 9112 section 2.2 allows a recipient to
// be lenient, but a test oracle must not be).
std::string split_lines(std::string_view text, std::vector<std::string_view>& lines) {
  size_t start = 0;
  while (start <= text.size()) {
    const size_t crlf = text.find("\r\n", start);
    const size_t end = crlf == std::string_view::npos ? text.size() : crlf;
    const std::string_view line = text.substr(start, end - start);
    if (line.find_first_of("\r\n") != std::string_view::npos) return "bare CR or LF";
    lines.push_back(line);
    if (crlf == std::string_view::npos) break;
    start = crlf + 2;
  }
  return {};
}

std::string parse_header_line(std::string_view line, Headers& out) {
  if (line.empty()) return "empty header line";
  if (line[0] == ' ' || line[0] == '\t') return "obs-fold";
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return "header line without name";
  const std::string_view name = line.substr(0, colon);
  for (const char c : name) {
    if (!is_tchar(c)) return "invalid character in header name";
  }
  const std::string_view value = trim(line.substr(colon + 1));
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7f) return "control character in header value";
  }
  out.push_back({std::string(name), std::string(value)});
  return {};
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<std::string> find_header(const Headers& headers, std::string_view name) {
  for (const auto& h : headers) {
    if (iequals(h.name, name)) return h.value;
  }
  return std::nullopt;
}

std::vector<std::string> find_all(const Headers& headers, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& h : headers) {
    if (iequals(h.name, name)) out.push_back(h.value);
  }
  return out;
}

bool has_header(const Headers& headers, std::string_view name) {
  return find_header(headers, name).has_value();
}

bool header_has_token(const Headers& headers, std::string_view name, std::string_view token) {
  for (const auto& value : find_all(headers, name)) {
    std::string_view rest = value;
    while (!rest.empty()) {
      const size_t comma = rest.find(',');
      if (iequals(trim(rest.substr(0, comma)), token)) return true;
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return false;
}

std::string parse_head(std::string_view head, ParsedHead& out) {
  std::vector<std::string_view> lines;
  if (auto err = split_lines(head, lines); !err.empty()) return err;
  out.start_line = std::string(lines.front());
  for (size_t i = 1; i < lines.size(); ++i) {
    if (auto err = parse_header_line(lines[i], out.headers); !err.empty()) return err;
  }
  return {};
}

std::string parse_header_lines(std::string_view text, Headers& out) {
  if (text.empty()) return {};
  std::vector<std::string_view> lines;
  if (auto err = split_lines(text, lines); !err.empty()) return err;
  for (const auto line : lines) {
    if (auto err = parse_header_line(line, out); !err.empty()) return err;
  }
  return {};
}

std::string split_request_line(std::string_view line, std::string& method, std::string& target,
                               std::string& version) {
  const size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos) return "request line without target";
  const size_t sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) return "request line without version";
  method = std::string(line.substr(0, sp1));
  target = std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
  version = std::string(line.substr(sp2 + 1));
  if (method.empty() || target.empty()) return "empty method or target";
  for (const char c : method) {
    if (!is_tchar(c)) return "invalid method";
  }
  if (version != "HTTP/1.1" && version != "HTTP/1.0") return "unsupported version " + version;
  return {};
}

std::string split_status_line(std::string_view line, std::string& version, int& status,
                              std::string& reason) {
  if (line.size() < 12 || line.substr(0, 5) != "HTTP/" || line[8] != ' ') {
    return "bad status line: " + std::string(line);
  }
  version = std::string(line.substr(0, 8));
  const auto code = parse_decimal(line.substr(9, 3));
  if (!code || *code < 100 || *code > 999) return "bad status code: " + std::string(line);
  status = static_cast<int>(*code);
  if (line.size() > 12 && line[12] != ' ') return "bad status line: " + std::string(line);
  reason = line.size() > 13 ? std::string(line.substr(13)) : std::string();
  return {};
}

std::optional<uint64_t> parse_decimal(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  uint64_t v = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

std::optional<uint64_t> parse_chunk_size(std::string_view line) {
  const size_t semi = line.find(';');
  std::string_view hex = trim(line.substr(0, semi));
  if (hex.empty() || hex.size() > 15) return std::nullopt;
  uint64_t v = 0;
  for (const char c : hex) {
    const int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                  : (c >= 'a' && c <= 'f')                    ? c - 'a' + 10
                  : (c >= 'A' && c <= 'F')                    ? c - 'A' + 10
                                                              : -1;
    if (d < 0) return std::nullopt;
    v = v * 16 + static_cast<uint64_t>(d);
  }
  return v;
}

std::pair<std::string, std::string> split_target(std::string_view target) {
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return {std::string(target), {}};
  return {std::string(target.substr(0, q)), std::string(target.substr(q + 1))};
}

std::optional<std::string> query_param(std::string_view query, std::string_view key) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const size_t eq = pair.find('=');
    if (pair.substr(0, eq) == key) {
      return eq == std::string_view::npos ? std::string() : std::string(pair.substr(eq + 1));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

}  // namespace tern::test
