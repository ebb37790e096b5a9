#include "lb/upstream/sticky_cookie.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>
#include <cstring>

#include "lb/core/key_derivation.hpp"

namespace tern::upstream {
namespace {

constexpr uint8_t kVersion = 1;
constexpr size_t kMacBytes = 16;
constexpr size_t kMaxPayload = 1 + 8 + 2 + 1 + 16;
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void mac(const StickyKey& key, std::string_view group, const unsigned char* payload, size_t len,
         unsigned char out[EVP_MAX_MD_SIZE]) {
  // group name, a zero byte, then the payload: one buffer, one HMAC call.
  std::array<unsigned char, 256 + kMaxPayload> msg{};
  const size_t glen = std::min(group.size(), size_t{256});
  std::memcpy(msg.data(), group.data(), glen);
  msg[glen] = 0;
  std::memcpy(msg.data() + glen + 1, payload, len);
  unsigned int outlen = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), msg.data(), glen + 1 + len, out,
       &outlen);
}

int decode_char(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

void base64url(const unsigned char* data, size_t len, std::string& out) {
  size_t i = 0;
  for (; i + 3 <= len; i += 3) {
    const uint32_t v = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8) | data[i + 2];
    for (int s = 18; s >= 0; s -= 6) out.push_back(kAlphabet[(v >> s) & 63]);
  }
  if (len - i == 1) {
    const uint32_t v = uint32_t{data[i]} << 16;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
  } else if (len - i == 2) {
    const uint32_t v = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
  }
}

// Decodes into `out` (capacity `cap`); the number of bytes, or 0 when invalid.
size_t unbase64url(std::string_view in, unsigned char* out, size_t cap) {
  if (in.size() % 4 == 1) return 0;
  size_t n = 0;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    const int v = decode_char(c);
    if (v < 0) return 0;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (n == cap) return 0;
      out[n++] = static_cast<unsigned char>(acc >> bits);
    }
  }
  if ((acc & ((1u << bits) - 1)) != 0) return 0;  // non-canonical trailing bits
  return n;
}

}  // namespace

std::optional<StickyKey> make_sticky_key(std::string_view fleet_key) {
  if (!fleet_key.empty()) return core::derive_key(fleet_key, kStickyKeyLabel);
  StickyKey key{};
  if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) return std::nullopt;
  return key;
}

void append_sticky_value(const StickyKey& key, std::string_view group,
                         const boost::asio::ip::tcp::endpoint& target, int64_t expiry_unix,
                         std::string& out) {
  std::array<unsigned char, kMaxPayload + kMacBytes> buf{};
  size_t n = 0;
  buf[n++] = kVersion;
  const auto expiry = static_cast<uint64_t>(expiry_unix);
  for (int s = 56; s >= 0; s -= 8) buf[n++] = static_cast<unsigned char>(expiry >> s);
  buf[n++] = static_cast<unsigned char>(target.port() >> 8);
  buf[n++] = static_cast<unsigned char>(target.port() & 0xff);
  if (target.address().is_v4()) {
    buf[n++] = 4;
    const auto bytes = target.address().to_v4().to_bytes();
    std::memcpy(&buf[n], bytes.data(), bytes.size());
    n += bytes.size();
  } else {
    buf[n++] = 6;
    const auto bytes = target.address().to_v6().to_bytes();
    std::memcpy(&buf[n], bytes.data(), bytes.size());
    n += bytes.size();
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  mac(key, group, buf.data(), n, digest);
  std::memcpy(&buf[n], digest, kMacBytes);
  base64url(buf.data(), n + kMacBytes, out);
}

std::optional<boost::asio::ip::tcp::endpoint> read_sticky_value(const StickyKey& key,
                                                                std::string_view group,
                                                                std::string_view value,
                                                                int64_t now_unix) {
  std::array<unsigned char, kMaxPayload + kMacBytes> buf{};
  if (value.size() > (buf.size() * 4 + 2) / 3) return std::nullopt;
  const size_t n = unbase64url(value, buf.data(), buf.size());
  if (n < 1 + 8 + 2 + 1 + 4 + kMacBytes || buf[0] != kVersion) return std::nullopt;
  const size_t payload = n - kMacBytes;
  const unsigned char family = buf[11];
  if (!((family == 4 && payload == 16) || (family == 6 && payload == 28))) return std::nullopt;
  unsigned char digest[EVP_MAX_MD_SIZE];
  mac(key, group, buf.data(), payload, digest);
  if (CRYPTO_memcmp(digest, buf.data() + payload, kMacBytes) != 0) return std::nullopt;
  uint64_t expiry = 0;
  for (int i = 1; i <= 8; ++i) expiry = (expiry << 8) | buf[static_cast<size_t>(i)];
  if (static_cast<int64_t>(expiry) <= now_unix) return std::nullopt;
  const auto port = static_cast<uint16_t>((buf[9] << 8) | buf[10]);
  boost::asio::ip::address address;
  if (family == 4) {
    boost::asio::ip::address_v4::bytes_type b{};
    std::memcpy(b.data(), buf.data() + 12, b.size());
    address = boost::asio::ip::address_v4(b);
  } else {
    boost::asio::ip::address_v6::bytes_type b{};
    std::memcpy(b.data(), buf.data() + 12, b.size());
    address = boost::asio::ip::address_v6(b);
  }
  return boost::asio::ip::tcp::endpoint(address, port);
}

}  // namespace tern::upstream
