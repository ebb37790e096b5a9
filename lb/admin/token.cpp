#include "lb/admin/token.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>

#include "lb/http/message_head.hpp"

namespace tern::admin {

namespace {

constexpr std::string_view kScheme = "Bearer";

using Digest = std::array<unsigned char, 32>;

// SHA-256 of `s`; a failure (out of memory in OpenSSL) leaves `ok` false.
Digest sha256(std::string_view s, bool& ok) {
  Digest d{};
  unsigned int len = 0;
  ok =
      EVP_Digest(s.data(), s.size(), d.data(), &len, EVP_sha256(), nullptr) == 1 && len == d.size();
  return d;
}

}  // namespace

bool authorized(std::string_view authorization_header_value, std::string_view token) {
  if (token.empty()) return false;
  std::string_view v = authorization_header_value;
  // "Bearer" SP credentials (RFC 6750 §2.1); the scheme is not secret, the credentials are.
  if (v.size() <= kScheme.size() + 1 || v[kScheme.size()] != ' ' ||
      !http::iequals(v.substr(0, kScheme.size()), kScheme)) {
    return false;
  }
  std::string_view presented = v.substr(kScheme.size() + 1);
  bool ok_presented = false;
  bool ok_token = false;
  const Digest a = sha256(presented, ok_presented);
  const Digest b = sha256(token, ok_token);
  // Equal digests of different inputs would need a SHA-256 collision.
  const bool same = CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
  return same && ok_presented && ok_token;
}

}  // namespace tern::admin
