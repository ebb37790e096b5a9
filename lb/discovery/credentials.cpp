#include "lb/discovery/credentials.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cstdlib>
#include <ctime>

namespace tern::discovery {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool non_empty(const std::optional<std::string>& v) {
  return v && !v->empty();
}

// The ECS and EKS credential endpoints a plain-http full URI may name, besides loopback.
bool allowed_http_host(const std::string& host) {
  boost::system::error_code ec;
  const auto addr = boost::asio::ip::make_address(host, ec);
  if (ec) return host == "localhost";
  if (addr.is_loopback()) return true;
  const std::string text = addr.to_string();
  return text == "169.254.170.2" || text == "169.254.170.23" || text == "fd00:ec2::23";
}

struct Url {
  bool https = false;
  std::string host;
  uint16_t port = 0;
  std::string target;
};

// http[s]://host[:port][/target]; host may be [IPv6].
std::optional<Url> parse_url(std::string_view text) {
  Url u;
  if (text.substr(0, 7) == "http://") {
    text.remove_prefix(7);
  } else if (text.substr(0, 8) == "https://") {
    u.https = true;
    text.remove_prefix(8);
  } else {
    return std::nullopt;
  }
  const size_t slash = text.find('/');
  std::string_view authority = text.substr(0, slash);
  u.target = slash == std::string_view::npos ? "/" : std::string(text.substr(slash));
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    u.host = std::string(authority.substr(1, close - 1));
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return std::nullopt;
      port = rest.substr(1);
    }
  } else {
    const size_t colon = authority.find(':');
    u.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (u.host.empty()) return std::nullopt;
  u.port = u.https ? 443 : 80;
  if (!port.empty()) {
    unsigned long n = 0;
    for (char c : port) {
      if (c < '0' || c > '9') return std::nullopt;
      n = n * 10 + static_cast<unsigned long>(c - '0');
      if (n > 65535) return std::nullopt;
    }
    if (n == 0) return std::nullopt;
    u.port = static_cast<uint16_t>(n);
  }
  return u;
}

const boost::json::string* string_member(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v ? v->if_string() : nullptr;
}

}  // namespace

Getenv process_environment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

CredentialsResult from_environment(const Getenv& env) {
  CredentialsResult out;
  const auto id = env("AWS_ACCESS_KEY_ID");
  const auto secret = env("AWS_SECRET_ACCESS_KEY");
  if (!non_empty(id) && !non_empty(secret)) return out;
  if (!non_empty(id) || !non_empty(secret)) {
    out.error = std::string(non_empty(id) ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID") +
                " is not set while " +
                (non_empty(id) ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY") + " is";
    return out;
  }
  AwsCredentials c;
  c.access_key_id = *id;
  c.secret_access_key = *secret;
  if (auto token = env("AWS_SESSION_TOKEN"); non_empty(token)) c.session_token = *token;
  c.source = "environment";
  out.credentials = std::move(c);
  return out;
}

std::string shared_credentials_path(const Getenv& env) {
  if (auto p = env("AWS_SHARED_CREDENTIALS_FILE"); non_empty(p)) return *p;
  const auto home = env("HOME");
  return (non_empty(home) ? *home : std::string()) + "/.aws/credentials";
}

std::string profile_name(const Getenv& env) {
  if (auto p = env("AWS_PROFILE"); non_empty(p)) return *p;
  return "default";
}

CredentialsResult parse_shared_credentials(std::string_view text, std::string_view profile) {
  CredentialsResult out;
  bool in_profile = false, found = false;
  std::optional<std::string> id, secret, token;
  size_t line_no = 0;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[') {
      if (line.back() != ']') {
        out.error = "line " + std::to_string(line_no) + ": a section header without ']'";
        return out;
      }
      in_profile = trim(line.substr(1, line.size() - 2)) == profile;
      found = found || in_profile;
      continue;
    }
    if (!in_profile) continue;
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      out.error = "line " + std::to_string(line_no) + ": expected key = value";
      return out;
    }
    const std::string_view key = trim(line.substr(0, eq));
    const std::string value(trim(line.substr(eq + 1)));
    if (key == "aws_access_key_id") id = value;
    if (key == "aws_secret_access_key") secret = value;
    if (key == "aws_session_token") token = value;
  }
  if (!found) return out;  // no such profile: the next source
  if (!non_empty(id) || !non_empty(secret)) {
    out.error =
        "profile " + std::string(profile) + " lacks aws_access_key_id or aws_secret_access_key";
    return out;
  }
  AwsCredentials c;
  c.access_key_id = *id;
  c.secret_access_key = *secret;
  if (non_empty(token)) c.session_token = *token;
  c.source = "shared file (profile " + std::string(profile) + ")";
  out.credentials = std::move(c);
  return out;
}

ContainerEndpointResult container_endpoint(
    const Getenv& env,
    const std::function<std::optional<std::string>(const std::string&)>& read_file) {
  ContainerEndpointResult out;
  if (auto rel = env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"); non_empty(rel)) {
    if (rel->front() != '/') {
      out.error = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI must start with '/'";
      return out;
    }
    ContainerEndpoint e;
    e.host = "169.254.170.2";
    e.port = 80;
    e.target = *rel;
    e.url = "http://169.254.170.2" + *rel;
    out.endpoint = std::move(e);
    return out;
  }
  const auto full = env("AWS_CONTAINER_CREDENTIALS_FULL_URI");
  if (!non_empty(full)) return out;
  const std::optional<Url> url = parse_url(*full);
  if (!url) {
    out.error = "AWS_CONTAINER_CREDENTIALS_FULL_URI is not an http(s) URL: " + *full;
    return out;
  }
  if (!url->https && !allowed_http_host(url->host)) {
    out.error =
        "AWS_CONTAINER_CREDENTIALS_FULL_URI over http must name a loopback address or "
        "169.254.170.2, 169.254.170.23 or fd00:ec2::23, not " +
        url->host;
    return out;
  }
  ContainerEndpoint e;
  e.url = *full;
  e.host = url->host;
  e.port = url->port;
  e.target = url->target;
  e.https = url->https;
  if (auto file = env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"); non_empty(file)) {
    std::optional<std::string> token = read_file(*file);
    if (!token) {
      out.error = "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE " + *file;
      return out;
    }
    e.authorization = std::string(trim(*token));
    while (!e.authorization.empty() && e.authorization.back() == '\n') e.authorization.pop_back();
  } else if (auto token = env("AWS_CONTAINER_AUTHORIZATION_TOKEN"); non_empty(token)) {
    e.authorization = *token;
  }
  if (e.authorization.find_first_of("\r\n") != std::string::npos) {
    out.error = "the container authorization token holds a line break";
    return out;
  }
  out.endpoint = std::move(e);
  return out;
}

CredentialsResult parse_credentials_json(std::string_view body, std::string_view source) {
  CredentialsResult out;
  boost::json::parse_options opts;
  opts.max_depth = 4;
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(body, ec, {}, opts);
  if (ec || !v.is_object()) {
    out.error = std::string(source) + ": the answer is not a JSON object";
    return out;
  }
  const boost::json::object& o = v.get_object();
  if (const auto* code = string_member(o, "Code"); code && *code != "Success") {
    out.error = std::string(source) + ": Code is " + std::string(*code);
    return out;
  }
  const auto* id = string_member(o, "AccessKeyId");
  const auto* secret = string_member(o, "SecretAccessKey");
  if (id == nullptr || secret == nullptr || id->empty() || secret->empty()) {
    out.error = std::string(source) + ": AccessKeyId or SecretAccessKey missing";
    return out;
  }
  AwsCredentials c;
  c.access_key_id = std::string(*id);
  c.secret_access_key = std::string(*secret);
  if (const auto* token = string_member(o, "Token"); token && !token->empty()) {
    c.session_token = std::string(*token);
  }
  if (const boost::json::value* exp = o.if_contains("Expiration")) {
    const auto* text = exp->if_string();
    auto when = text ? parse_iso8601(*text) : std::nullopt;
    if (!when) {
      out.error = std::string(source) + ": Expiration is not an ISO 8601 UTC time";
      return out;
    }
    c.expiration = when;
  }
  c.source = std::string(source);
  out.credentials = std::move(c);
  return out;
}

std::string imds_endpoint(const Getenv& env) {
  if (auto e = env("AWS_EC2_METADATA_SERVICE_ENDPOINT"); non_empty(e)) {
    std::string s = *e;
    while (!s.empty() && s.back() == '/') s.pop_back();
    return s;
  }
  return "http://169.254.169.254";
}

std::string imds_role(std::string_view listing) {
  return std::string(trim(listing.substr(0, listing.find('\n'))));
}

std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.fraction]Z
  if (text.size() < 20 || text.back() != 'Z') return std::nullopt;
  auto num = [&](size_t at, size_t n, int& out) {
    out = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  int y, mo, d, h, mi, s;
  if (!num(0, 4, y) || text[4] != '-' || !num(5, 2, mo) || text[7] != '-' || !num(8, 2, d) ||
      (text[10] != 'T' && text[10] != 't') || !num(11, 2, h) || text[13] != ':' ||
      !num(14, 2, mi) || text[16] != ':' || !num(17, 2, s)) {
    return std::nullopt;
  }
  if (text.size() > 20) {
    if (text[19] != '.') return std::nullopt;
    for (size_t i = 20; i + 1 < text.size(); ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
    }
    if (text.size() == 21) return std::nullopt;  // "." with no digit
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  const time_t t = timegm(&tm);
  return std::chrono::system_clock::from_time_t(t);
}

bool needs_refresh(const AwsCredentials& credentials, std::chrono::system_clock::time_point now) {
  return credentials.expiration && *credentials.expiration - now <= kRefreshAhead;
}

}  // namespace tern::discovery
