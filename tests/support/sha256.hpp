// Incremental SHA-256 over OpenSSL's EVP interface, hex output.
//
// Used by the test backend, the test client and the tests to compare bodies of any size
// without keeping them in memory.
// Thread affinity: one thread at a time per instance. Ownership: owns its EVP context.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace tern::test {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const void* data, size_t size);
  void update(std::string_view data) { update(data.data(), data.size()); }
  // Lower-case hex digest; the instance is reset afterwards and can be reused.
  std::string hex_digest();
  uint64_t bytes() const { return bytes_; }

 private:
  evp_md_ctx_st* ctx_;
  uint64_t bytes_ = 0;
};

std::string sha256_hex(std::string_view data);

}  // namespace tern::test
