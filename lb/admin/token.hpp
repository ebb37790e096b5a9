// The admin token check (spec/config.md, "Token"): with admin.token_file set, every admin
// call other than GET needs "Authorization: Bearer <token>". Pure: the route layer
// (routes.hpp, guarded()) asks it and answers 401.
//
// The comparison runs in constant time over SHA-256 digests of the presented credentials and
// of the token (CRYPTO_memcmp over 32 bytes each): how long it takes depends neither on how
// many leading bytes match nor on the token's length.
//
// Thread affinity: none (a pure function). Ownership: views only.
#pragma once

#include <string_view>

namespace tern::admin {

// True when `authorization_header_value` (the Authorization field value, OWS already
// trimmed by the parser) is exactly "Bearer", one space and `token`. The scheme is
// case-insensitive (RFC 9110 §11.1: "bearer" and "BEARER" work too); the credentials are
// compared byte for byte. An empty `token` authorizes nothing.
bool authorized(std::string_view authorization_header_value, std::string_view token);

}  // namespace tern::admin
