// HKDF-SHA256 against RFC 5869's test vectors, and the per-use keys derived from a fleet
// key: 32 bytes, empty salt, one label per use.
#include "lb/core/key_derivation.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tern::core {
namespace {

std::string unhex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

std::string hex(std::span<const unsigned char> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

const std::string kIkm = unhex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");

// RFC 5869 Appendix A.1, "Test Case 1": basic test case with SHA-256.
TEST(Hkdf, Rfc5869TestCase1) {
  std::vector<unsigned char> okm(42);
  ASSERT_TRUE(
      hkdf_sha256(kIkm, unhex("000102030405060708090a0b0c"), unhex("f0f1f2f3f4f5f6f7f8f9"), okm));
  EXPECT_EQ(hex(okm),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
}

// RFC 5869 Appendix A.3, "Test Case 3": zero-length salt and info, as derive_key's salt.
TEST(Hkdf, Rfc5869TestCase3EmptySaltAndInfo) {
  std::vector<unsigned char> okm(42);
  ASSERT_TRUE(hkdf_sha256(kIkm, {}, {}, okm));
  EXPECT_EQ(hex(okm),
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
  // derive_key is the first 32 bytes of the same computation.
  auto key = derive_key(kIkm, "");
  ASSERT_TRUE(key);
  EXPECT_EQ(hex(*key), hex(okm).substr(0, 64));
}

// An independent computation (Python's hmac: PRK = HMAC(32 zero bytes, key),
// T(1) = HMAC(PRK, label | 0x01)) of the stickiness cookie key of fleet key 00 01 .. 1f.
TEST(DeriveKey, StickinessLabelOfAKnownFleetKey) {
  std::string fleet;
  for (int i = 0; i < 32; ++i) fleet.push_back(static_cast<char>(i));
  auto key = derive_key(fleet, "tern stickiness cookie v1");
  ASSERT_TRUE(key);
  EXPECT_EQ(hex(*key), "c729a76d84325c9a1752dffe1d6c86951c3a86a57b90f4a952bb9dbd158d88df");
}

TEST(DeriveKey, OneKeyPerLabelAndPerFleetKey) {
  const std::string fleet(32, 'k');
  const auto cookie = derive_key(fleet, "tern stickiness cookie v1");
  const auto tickets = derive_key(fleet, "tern tls session tickets v1");
  const auto other = derive_key(std::string(31, 'k') + "K", "tern stickiness cookie v1");
  ASSERT_TRUE(cookie && tickets && other);
  EXPECT_EQ(derive_key(fleet, "tern stickiness cookie v1"), cookie) << "deterministic";
  EXPECT_NE(*cookie, *tickets);
  EXPECT_NE(*cookie, *other);
  // Every byte of the key matters, including a trailing newline.
  EXPECT_NE(derive_key(fleet + "\n", "tern stickiness cookie v1"), cookie);
}

TEST(Hkdf, RefusesMoreThan255Blocks) {
  std::vector<unsigned char> okm(255 * 32 + 1);
  EXPECT_FALSE(hkdf_sha256(kIkm, {}, {}, okm));
}

}  // namespace
}  // namespace tern::core
