// Deterministic body bytes: byte at absolute offset p of every generated body is a fixed
// function of p, so a sender and a verifier agree on N bytes without storing them.
//
// Thread affinity: none (pure functions). Ownership: nothing kept.
#pragma once

#include <cstdint>
#include <string>

namespace tern::test {

// Fills out[0..size) with the pattern bytes at offsets offset..offset+size.
void fill_pattern(uint64_t offset, char* out, size_t size);

// The pattern bytes [0, size) as a string (for small bodies).
std::string pattern_string(uint64_t size);

// SHA-256 (hex) of the first `size` pattern bytes, computed in constant memory.
std::string pattern_sha256(uint64_t size);

}  // namespace tern::test
