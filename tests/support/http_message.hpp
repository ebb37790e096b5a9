// HTTP/1.1 message pieces shared by the test backend and the test client: header lists,
// head parsing (strict CRLF, no obs-fold) and the start lines of requests and responses.
// Written independently of tern's own parser, on purpose: the tests must not share its
// bugs.
//
// Thread affinity: none (values and pure functions). Ownership: values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tern::test {

struct Header {
  std::string name;
  std::string value;
  bool operator==(const Header&) const = default;
};
using Headers = std::vector<Header>;

bool iequals(std::string_view a, std::string_view b);
std::string to_lower(std::string_view s);
std::string_view trim(std::string_view s);

// First value of the header `name` (case-insensitive), if present.
std::optional<std::string> find_header(const Headers& headers, std::string_view name);
// Every value of `name`, in order.
std::vector<std::string> find_all(const Headers& headers, std::string_view name);
bool has_header(const Headers& headers, std::string_view name);
// Whether a comma-separated header (e.g. Connection) lists `token` (case-insensitive).
bool header_has_token(const Headers& headers, std::string_view name, std::string_view token);

// Head = start line + header lines, without the final empty line. Returns an error text
// (empty on success).
struct ParsedHead {
  std::string start_line;
  Headers headers;
};
std::string parse_head(std::string_view head, ParsedHead& out);
// Header lines only (trailers), same rules.
std::string parse_header_lines(std::string_view lines, Headers& out);

// "GET /x HTTP/1.1" -> method, target, version. Error text or empty.
std::string split_request_line(std::string_view line, std::string& method, std::string& target,
                               std::string& version);
// "HTTP/1.1 200 OK" -> version, status, reason. Error text or empty.
std::string split_status_line(std::string_view line, std::string& version, int& status,
                              std::string& reason);

// Non-negative decimal without sign; nullopt on anything else or overflow.
std::optional<uint64_t> parse_decimal(std::string_view s);
// Chunk size: hex digits, optional ";ext"; nullopt on anything else or overflow.
std::optional<uint64_t> parse_chunk_size(std::string_view line);

// Path and query of a request target ("/a/b?x=1" -> "/a/b", "x=1").
std::pair<std::string, std::string> split_target(std::string_view target);
// Value of `key` in an a=1&b=2 query, if present.
std::optional<std::string> query_param(std::string_view query, std::string_view key);

}  // namespace tern::test
