// The admin token check: exactly "Bearer <token>", scheme case-insensitive (RFC 9110
// §11.1), credentials byte for byte whatever their length.
#include "lb/admin/token.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tern::admin {
namespace {

constexpr std::string_view kToken = "s3cret-Token_0123456789";

TEST(Token, RightToken) {
  EXPECT_TRUE(authorized("Bearer s3cret-Token_0123456789", kToken));
}

TEST(Token, SchemeIsCaseInsensitive) {
  EXPECT_TRUE(authorized("bearer s3cret-Token_0123456789", kToken));
  EXPECT_TRUE(authorized("BEARER s3cret-Token_0123456789", kToken));
  EXPECT_TRUE(authorized("bEaReR s3cret-Token_0123456789", kToken));
}

TEST(Token, WrongToken) {
  EXPECT_FALSE(authorized("Bearer s3cret-Token_0123456788", kToken));  // last byte
  EXPECT_FALSE(authorized("Bearer t3cret-Token_0123456789", kToken));  // first byte
  EXPECT_FALSE(authorized("Bearer S3CRET-TOKEN_0123456789", kToken));  // credentials are exact
}

TEST(Token, WrongLength) {
  EXPECT_FALSE(authorized("Bearer s3cret-Token_012345678", kToken));    // a prefix
  EXPECT_FALSE(authorized("Bearer s3cret-Token_01234567890", kToken));  // one more byte
  EXPECT_FALSE(authorized("Bearer s", kToken));
  EXPECT_FALSE(authorized("Bearer " + std::string(4096, 'x'), kToken));
}

TEST(Token, MissingOrEmptyCredentials) {
  EXPECT_FALSE(authorized("", kToken));
  EXPECT_FALSE(authorized("Bearer", kToken));
  EXPECT_FALSE(authorized("Bearer ", kToken));
}

TEST(Token, OtherSchemes) {
  EXPECT_FALSE(authorized("Basic czNjcmV0LVRva2VuXzAxMjM0NTY3ODk=", kToken));
  EXPECT_FALSE(authorized("Basic s3cret-Token_0123456789", kToken));
  EXPECT_FALSE(authorized("Token s3cret-Token_0123456789", kToken));
  EXPECT_FALSE(authorized("s3cret-Token_0123456789", kToken));  // no scheme
  EXPECT_FALSE(authorized("Bearers3cret-Token_0123456789", kToken));
  EXPECT_FALSE(authorized("BearerXs3cret-Token_0123456789", kToken));
}

TEST(Token, ExactlyOneSpace) {
  EXPECT_FALSE(authorized("Bearer  s3cret-Token_0123456789", kToken));
  EXPECT_FALSE(authorized("Bearer\ts3cret-Token_0123456789", kToken));
  EXPECT_FALSE(authorized("Bearer s3cret-Token_0123456789 ", kToken));
}

TEST(Token, EmptyTokenAuthorizesNothing) {
  EXPECT_FALSE(authorized("Bearer ", ""));
  EXPECT_FALSE(authorized("", ""));
  EXPECT_FALSE(authorized("Bearer x", ""));
}

TEST(Token, AnyBytesInTheToken) {
  const std::string token("a\0b\xff", 4);
  EXPECT_TRUE(authorized("Bearer " + token, token));
  EXPECT_FALSE(authorized("Bearer a", token));  // the NUL does not end the comparison
}

}  // namespace
}  // namespace tern::admin
