#include "lb/discovery/sigv4.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <stdexcept>

namespace tern::discovery::sigv4 {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kTerminator = "aws4_request";

char lower_ascii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), lower_ascii);
  return out;
}

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes %XX escapes; a '%' not followed by two hex digits stays literal (it is then
// encoded as %25), which is what the AWS SDKs do with such a query.
std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int hi = hex_value(text[i + 1]);
      const int lo = hex_value(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Trimmed, with every inner run of whitespace as one space (botocore: ' '.join(v.split())).
std::string collapse_spaces(std::string_view value) {
  std::string out;
  bool pending_space = false;
  for (const char c : value) {
    if (is_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

// Headers the signer leaves out: hop-by-hop fields that a proxy may rewrite (RFC 9110
// §7.6.1) and fields that SDKs add or change after signing; and the signer's own fields,
// which it sets itself.
bool is_unsigned_header(std::string_view lower_name) {
  static constexpr std::array<std::string_view, 11> kSkipped = {
      "authorization",        "x-amz-date", "x-amz-security-token",
      "x-amz-content-sha256", "user-agent", "expect",
      "x-amzn-trace-id",      "connection", "keep-alive",
      "transfer-encoding",    "upgrade"};
  return std::find(kSkipped.begin(), kSkipped.end(), lower_name) != kSkipped.end();
}

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t end = text.find(sep, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

// RFC 3986 §5.2.4 dot-segment removal plus empty-segment collapsing, as the suite's
// normalized cases expect ("//example//" -> "/example/", "/a/b/../.." -> "/").
std::vector<std::string_view> normalized_segments(std::string_view path) {
  std::vector<std::string_view> segments;
  for (const std::string_view segment : split(path, '/')) {
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
      continue;
    }
    segments.push_back(segment);
  }
  return segments;
}

std::string two_digits(int value) {
  std::array<char, 8> buf{};
  std::snprintf(buf.data(), buf.size(), "%02d", value);
  return buf.data();
}

// Reads `count` decimal digits at `pos`, or -1.
int read_digits(std::string_view text, size_t pos, size_t count) {
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

// --- Primitives ---------------------------------------------------------------------

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0x0f]);
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  return hex(std::string_view(reinterpret_cast<const char*>(digest.data()), size));
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int size = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac.data(),
           &size) == nullptr) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  return std::string(reinterpret_cast<const char*>(mac.data()), size);
}

// --- Time ---------------------------------------------------------------------------

std::string format_amz_date(std::chrono::system_clock::time_point when) {
  using namespace std::chrono;
  const auto secs = floor<seconds>(when);
  const auto day = floor<days>(secs);
  const year_month_day ymd{day};
  const hh_mm_ss hms{secs - day};
  std::array<char, 8> year{};
  std::snprintf(year.data(), year.size(), "%04d", static_cast<int>(ymd.year()));
  return std::string(year.data()) + two_digits(static_cast<int>(unsigned(ymd.month()))) +
         two_digits(static_cast<int>(unsigned(ymd.day()))) + "T" +
         two_digits(static_cast<int>(hms.hours().count())) +
         two_digits(static_cast<int>(hms.minutes().count())) +
         two_digits(static_cast<int>(hms.seconds().count())) + "Z";
}

std::optional<std::chrono::system_clock::time_point> parse_amz_date(std::string_view text) {
  using namespace std::chrono;
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return std::nullopt;
  const int y = read_digits(text, 0, 4);
  const int mo = read_digits(text, 4, 2);
  const int d = read_digits(text, 6, 2);
  const int h = read_digits(text, 9, 2);
  const int mi = read_digits(text, 11, 2);
  const int s = read_digits(text, 13, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) {
    return std::nullopt;
  }
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                           day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return sys_days{ymd} + hours{h} + minutes{mi} + seconds{s};
}

// --- Canonical request ------------------------------------------------------------------

std::string uri_encode(std::string_view text, bool keep_slash) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (is_unreserved(b) || (keep_slash && c == '/')) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kDigits[b >> 4]);
      out.push_back(kDigits[b & 0x0f]);
    }
  }
  return out;
}

std::string canonical_uri(std::string_view path, bool normalize) {
  if (path.empty()) return "/";
  if (!normalize) return uri_encode(path, /*keep_slash=*/true);
  std::string out;
  for (const std::string_view segment : normalized_segments(path)) {
    out += '/';
    out += uri_encode(segment, /*keep_slash=*/false);
  }
  // A trailing slash is part of the resource name ("/example/" is not "/example").
  if (out.empty() || path.back() == '/') out += '/';
  return out;
}

std::string canonical_query(std::string_view query) {
  if (query.empty()) return "";
  std::vector<std::pair<std::string, std::string>> params;
  for (const std::string_view part : split(query, '&')) {
    if (part.empty()) continue;
    const size_t eq = part.find('=');
    const std::string_view name = part.substr(0, eq);
    const std::string_view value = eq == std::string_view::npos ? "" : part.substr(eq + 1);
    params.emplace_back(uri_encode(percent_decode(name), false),
                        uri_encode(percent_decode(value), false));
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    out += name + "=" + value;
  }
  return out;
}

CanonicalHeaders canonical_headers(const Headers& headers) {
  std::map<std::string, std::string> joined;  // sorted by lower-case name
  for (const auto& [name, value] : headers) {
    auto [it, inserted] = joined.try_emplace(lower(name));
    if (!inserted) it->second += ',';
    it->second += collapse_spaces(value);
  }
  CanonicalHeaders out;
  for (const auto& [name, value] : joined) {
    out.text += name + ":" + value + "\n";
    if (!out.signed_headers.empty()) out.signed_headers += ';';
    out.signed_headers += name;
  }
  return out;
}

std::string canonical_request(const SigningRequest& request, bool normalize_path) {
  const CanonicalHeaders headers = canonical_headers(request.headers);
  return request.method + "\n" + canonical_uri(request.path, normalize_path) + "\n" +
         canonical_query(request.query) + "\n" + headers.text + "\n" + headers.signed_headers +
         "\n" + sha256_hex(request.body);
}

// --- String to sign and signature ------------------------------------------------------

std::string credential_scope(std::string_view amz_date, std::string_view region,
                             std::string_view service) {
  std::string scope(amz_date.substr(0, 8));
  scope += "/";
  scope += region;
  scope += "/";
  scope += service;
  scope += "/";
  scope += kTerminator;
  return scope;
}

std::string string_to_sign(std::string_view amz_date, std::string_view scope,
                           std::string_view canonical_request) {
  std::string out(kAlgorithm);
  out += "\n";
  out += amz_date;
  out += "\n";
  out += scope;
  out += "\n";
  out += sha256_hex(canonical_request);
  return out;
}

std::string signing_key(std::string_view secret_access_key, std::string_view date,
                        std::string_view region, std::string_view service) {
  const std::string k_secret = "AWS4" + std::string(secret_access_key);
  const std::string k_date = hmac_sha256(k_secret, date);
  const std::string k_region = hmac_sha256(k_date, region);
  const std::string k_service = hmac_sha256(k_region, service);
  return hmac_sha256(k_service, kTerminator);
}

std::string signature(std::string_view signing_key, std::string_view string_to_sign) {
  return hex(hmac_sha256(signing_key, string_to_sign));
}

// --- sign() ---------------------------------------------------------------------------

namespace {

// The request with the headers that will be signed: the caller's minus the unsigned
// ones, plus Host when absent and the signer's own fields. `added` gets the same additions.
SigningRequest with_signed_headers(const SigningRequest& request, const SigningParams& params,
                                   const std::string& amz_date, Headers& added) {
  SigningRequest out{request.method, request.path, request.query, {}, request.body};
  bool has_host = false;
  for (const auto& [name, value] : request.headers) {
    const std::string name_lower = lower(name);
    has_host = has_host || name_lower == "host";
    if (!is_unsigned_header(name_lower)) out.headers.emplace_back(name, value);
  }
  if (!has_host) added.emplace_back("Host", params.host);
  added.emplace_back("X-Amz-Date", amz_date);
  if (params.add_content_sha256)
    added.emplace_back("X-Amz-Content-Sha256", sha256_hex(request.body));
  const auto& token = params.credentials.session_token;
  if (token && params.sign_session_token) added.emplace_back("X-Amz-Security-Token", *token);
  out.headers.insert(out.headers.end(), added.begin(), added.end());
  return out;
}

}  // namespace

SigningResult sign(const SigningRequest& request, const SigningParams& params,
                   std::chrono::system_clock::time_point when) {
  const std::string amz_date = format_amz_date(when);
  SigningResult result;
  const SigningRequest to_sign = with_signed_headers(request, params, amz_date, result.headers);
  result.canonical_request = canonical_request(to_sign, params.normalize_path);
  const std::string scope = credential_scope(amz_date, params.region, params.service);
  result.string_to_sign = string_to_sign(amz_date, scope, result.canonical_request);
  const std::string key =
      signing_key(params.credentials.secret_access_key, std::string_view(amz_date).substr(0, 8),
                  params.region, params.service);
  result.signature = signature(key, result.string_to_sign);
  const auto& token = params.credentials.session_token;
  if (token && !params.sign_session_token) {
    result.headers.emplace_back("X-Amz-Security-Token", *token);
  }
  result.headers.emplace_back(
      "Authorization", std::string(kAlgorithm) + " Credential=" + params.credentials.access_key_id +
                           "/" + scope +
                           ", SignedHeaders=" + canonical_headers(to_sign.headers).signed_headers +
                           ", Signature=" + result.signature);
  return result;
}

}  // namespace tern::discovery::sigv4
