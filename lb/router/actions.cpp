#include "lb/router/actions.hpp"

#include <charconv>

#include "lb/http/message_head.hpp"

namespace tern::router {
namespace {

// FNV-1a: a stable tag for a group name (not a secret; see cookie_value).
uint64_t fnv1a(std::string_view text) {
  uint64_t h = 14695981039346656037ull;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

void substitute(std::string_view text, const Request& request, std::string& out) {
  size_t at = 0;
  while (at < text.size()) {
    const size_t open = text.find("#{", at);
    const size_t close = open == std::string_view::npos ? open : text.find('}', open);
    if (close == std::string_view::npos) {
      out.append(text.substr(at));
      return;
    }
    out.append(text.substr(at, open - at));
    const std::string_view name = text.substr(open + 2, close - open - 2);
    if (name == "protocol") {
      out.append(request.connection.https ? "https" : "http");
    } else if (name == "host") {
      out.append(request.host);
    } else if (name == "port") {
      out.append(std::to_string(request.connection.listener_port));
    } else if (name == "path") {
      std::string_view path = request.path;
      if (!path.empty() && path.front() == '/') path.remove_prefix(1);
      out.append(path);
    } else if (name == "query") {
      out.append(request.query);
    } else {
      out.append(text.substr(open, close + 1 - open));  // config rejects unknown names
    }
    at = close + 1;
  }
}

}  // namespace

ForwardPlan ForwardPlan::compile(const config::ForwardAction& forward) {
  ForwardPlan plan;
  std::vector<int> weights;
  for (const config::WeightedTargetGroup& g : forward.target_groups) {
    plan.groups.push_back({g.name, g.weight, UINT32_MAX, fnv1a(g.name)});
    weights.push_back(g.weight);
  }
  plan.schedule = WeightedSchedule(weights);
  plan.stickiness_enabled = forward.stickiness_enabled && plan.groups.size() > 1;
  plan.stickiness_duration =
      std::chrono::duration_cast<std::chrono::seconds>(forward.stickiness_duration);
  return plan;
}

ForwardPlan::Choice ForwardPlan::choose(const Request& request, uint64_t& sequence,
                                        int64_t now_unix) const {
  if (stickiness_enabled) {
    for (const http::HeaderField& field : request.headers) {
      if (!http::iequals(field.name.view(request.base), "cookie")) continue;
      auto value = find_cookie(field.value.view(request.base), kGroupCookie);
      if (!value) continue;
      if (auto group = group_from_cookie(*value, now_unix)) return {*group, false};
    }
  }
  return {pick(sequence++), stickiness_enabled};
}

std::string ForwardPlan::cookie_value(size_t group, int64_t now_unix) const {
  std::string out;
  append_cookie_value(group, now_unix, out);
  return out;
}

void ForwardPlan::append_cookie_value(size_t group, int64_t now_unix, std::string& out) const {
  static constexpr char kHex[] = "0123456789abcdef";
  const uint64_t tag = groups[group].cookie_tag;
  for (int shift = 60; shift >= 0; shift -= 4) out.push_back(kHex[(tag >> shift) & 0xf]);
  out.push_back('.');
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits,
                                 static_cast<long long>(now_unix + stickiness_duration.count()));
  out.append(digits, end.ptr);
}

std::optional<size_t> ForwardPlan::group_from_cookie(std::string_view value,
                                                     int64_t now_unix) const {
  if (value.size() < 18 || value[16] != '.') return std::nullopt;
  uint64_t tag = 0;
  int64_t expiry = 0;
  const char* tag_end = value.data() + 16;
  const char* end = value.data() + value.size();
  auto t = std::from_chars(value.data(), tag_end, tag, 16);
  auto e = std::from_chars(tag_end + 1, end, expiry);
  if (t.ptr != tag_end || e.ptr != end || t.ec != std::errc{} || e.ec != std::errc{}) {
    return std::nullopt;
  }
  if (expiry <= now_unix) return std::nullopt;
  for (size_t i = 0; i < groups.size(); ++i) {
    if (groups[i].cookie_tag == tag) return i;
  }
  return std::nullopt;
}

std::string ForwardPlan::set_cookie(std::string_view value, bool cors) const {
  std::string out;
  append_set_cookie_value(value, cors, out);
  return out;
}

void ForwardPlan::append_set_cookie(size_t group, int64_t now_unix, bool cors,
                                    std::string& out) const {
  out.append(cors ? kGroupCorsCookie : kGroupCookie);
  out.push_back('=');
  append_cookie_value(group, now_unix, out);
  append_cookie_attributes(stickiness_duration, cors, out);
}

void ForwardPlan::append_set_cookie_value(std::string_view value, bool cors,
                                          std::string& out) const {
  out.append(cors ? kGroupCorsCookie : kGroupCookie);
  out.push_back('=');
  out.append(value);
  append_cookie_attributes(stickiness_duration, cors, out);
}

void append_cookie_attributes(std::chrono::seconds max_age, bool cors, std::string& out) {
  out.append("; Max-Age=");
  char digits[24];
  const auto end =
      std::to_chars(digits, digits + sizeof digits, static_cast<long long>(max_age.count()));
  out.append(digits, end.ptr);
  out.append("; Path=/");
  if (cors) out.append("; SameSite=None; Secure");
}

std::optional<std::string_view> find_cookie(std::string_view line, std::string_view name) {
  size_t start = 0;
  while (start < line.size()) {
    size_t end = line.find(';', start);
    if (end == std::string_view::npos) end = line.size();
    const std::string_view pair = trim(line.substr(start, end - start));
    start = end + 1;
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos || trim(pair.substr(0, eq)) != name) continue;
    std::string_view value = trim(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);  // cookie-value may be quoted (§4.1.1)
    }
    return value;
  }
  return std::nullopt;
}

bool build_redirect(const config::RedirectAction& redirect, const Request& request,
                    std::string& location) {
  location.clear();
  substitute(redirect.protocol, request, location);
  for (char& c : location) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  const bool https = location == "https";
  location.append("://");
  const size_t host_begin = location.size();
  substitute(redirect.host, request, location);
  if (location.size() == host_begin) return false;
  std::string port;
  substitute(redirect.port, request, port);
  if (!port.empty() && port != (https ? "443" : "80")) {
    location.push_back(':');
    location.append(port);
  }
  substitute(redirect.path, request, location);
  const size_t query_at = location.size();
  location.push_back('?');
  substitute(redirect.query, request, location);
  if (location.size() == query_at + 1) location.resize(query_at);
  return true;
}

}  // namespace tern::router
