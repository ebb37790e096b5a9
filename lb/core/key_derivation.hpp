// Keys derived from one shared secret, one label per use: HKDF-SHA256 (RFC 5869) over
// the fleet key (config `fleet_key_file`). Stickiness cookies derive theirs with the label
// "tern stickiness cookie v1"; TLS session tickets will use another label, so that no
// two uses ever share a key and a key of one use says nothing about another's.
//
// Thread affinity: none (pure functions over OpenSSL 3's EVP_KDF, which is thread-safe).
// Ownership: writes into caller-owned memory; keeps nothing.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string_view>

namespace tern::core {

using DerivedKey = std::array<unsigned char, 32>;

// RFC 5869 HKDF with SHA-256: extract with `salt` (empty: HashLen zero bytes, as the RFC
// says), then expand with `info` into all of `out` (1..8160 bytes). False when OpenSSL
// cannot (no HKDF provider, or `out` too long).
bool hkdf_sha256(std::string_view key, std::string_view salt, std::string_view info,
                 std::span<unsigned char> out);

// The 32-byte key of one use (`label`, the HKDF info) of `fleet_key`, with an empty salt.
// nullopt when OpenSSL fails.
std::optional<DerivedKey> derive_key(std::string_view fleet_key, std::string_view label);

}  // namespace tern::core
