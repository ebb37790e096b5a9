// Strings into admin bodies: UTF-8 sanitizing (valid passes through, invalid becomes U+FFFD
// per maximal subpart), JSON strings that stay valid through boost::json::serialize
// (escaping per RFC 8259 §7), and quoting for error messages (one line, bounded).
#include "lb/admin/json_text.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>
#include <string_view>

namespace tern::admin {
namespace {

const std::string kR = "\xEF\xBF\xBD";  // U+FFFD

std::string serialized(std::string_view s) {
  return boost::json::serialize(json_string(s));
}

TEST(SanitizeUtf8, ValidUtf8PassesThrough) {
  EXPECT_EQ(sanitize_utf8(""), "");
  EXPECT_EQ(sanitize_utf8("app"), "app");
  EXPECT_EQ(sanitize_utf8("caf\xC3\xA9"), "caf\xC3\xA9");                         // 2 bytes
  EXPECT_EQ(sanitize_utf8("\xE2\x82\xAC 5"), "\xE2\x82\xAC 5");                   // 3 bytes (€)
  EXPECT_EQ(sanitize_utf8("\xF0\x9F\x90\xA2"), "\xF0\x9F\x90\xA2");               // 4 bytes (🐢)
  EXPECT_EQ(sanitize_utf8("\xED\x9F\xBF"), "\xED\x9F\xBF");                       // U+D7FF
  EXPECT_EQ(sanitize_utf8("\xEE\x80\x80"), "\xEE\x80\x80");                       // U+E000
  EXPECT_EQ(sanitize_utf8("\xF4\x8F\xBF\xBF"), "\xF4\x8F\xBF\xBF");               // U+10FFFF
  EXPECT_EQ(sanitize_utf8(std::string_view("a\0b", 3)), std::string("a\0b", 3));  // NUL is valid
}

TEST(SanitizeUtf8, InvalidBytesBecomeReplacementCharacters) {
  EXPECT_EQ(sanitize_utf8("\xFF"), kR);
  EXPECT_EQ(sanitize_utf8("a\x80z"), "a" + kR + "z");               // lone continuation
  EXPECT_EQ(sanitize_utf8("\xC0\xAF"), kR + kR);                    // overlong '/'
  EXPECT_EQ(sanitize_utf8("\xC3"), kR);                             // truncated at the end
  EXPECT_EQ(sanitize_utf8("\xC3("), kR + "(");                      // bad continuation
  EXPECT_EQ(sanitize_utf8("\xE2\x82("), kR + "(");                  // maximal subpart: one
  EXPECT_EQ(sanitize_utf8("\xE0\x80\x80"), kR + kR + kR);           // overlong 3-byte
  EXPECT_EQ(sanitize_utf8("\xED\xA0\x80"), kR + kR + kR);           // UTF-16 surrogate
  EXPECT_EQ(sanitize_utf8("\xF4\x90\x80\x80"), kR + kR + kR + kR);  // above U+10FFFF
  EXPECT_EQ(sanitize_utf8("\xF0\x9F\x90"), kR);                     // truncated 4-byte
  EXPECT_EQ(sanitize_utf8("\xF5\x80"), kR + kR);
  EXPECT_EQ(sanitize_utf8("ok\xC3\xA9\xFFok"), "ok\xC3\xA9" + kR + "ok");  // valid prefix kept
}

TEST(JsonString, EscapesAsRfc8259Asks) {
  EXPECT_EQ(serialized(""), R"("")");
  EXPECT_EQ(serialized("a/b c'd"), R"("a/b c'd")");  // '/' and '\'' need no escape
  EXPECT_EQ(serialized(R"(say "hi")"), R"("say \"hi\"")");
  EXPECT_EQ(serialized(R"(C:\dir\)"), R"("C:\\dir\\")");
  EXPECT_EQ(serialized("a\nb\r\t\b\f"), R"("a\nb\r\t\b\f")");
  EXPECT_EQ(serialized(std::string_view("\0x", 2)), R"("\u0000x")");
  EXPECT_EQ(serialized("\x1f\x1b[31m"), R"("\u001f\u001b[31m")");
  EXPECT_EQ(serialized(" \x7f~"), "\" \x7f~\"");              // DEL needs no escape
  EXPECT_EQ(serialized("\xE2\x80\xA8"), "\"\xE2\x80\xA8\"");  // U+2028 is valid JSON
}

TEST(JsonString, InvalidUtf8StillSerializesToValidJson) {
  std::string text = serialized("/a\"\xff\xC0\xAF\x01");
  EXPECT_EQ(text, "\"/a\\\"" + kR + kR + kR + "\\u0001\"");
  // Boost.JSON's parser rejects invalid UTF-8: what we wrote reads back.
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(v.as_string(), "/a\"" + kR + kR + kR + "\x01");
}

TEST(JsonQuoted, QuotesAndEscapes) {
  EXPECT_EQ(json_quoted("web-1"), R"("web-1")");
  EXPECT_EQ(json_quoted(""), R"("")");
  EXPECT_EQ(json_quoted("a\"b\nc"), R"("a\"b\nc")");  // one line
  EXPECT_EQ(json_quoted("\xff"), "\"" + kR + "\"");
}

TEST(JsonQuoted, LongValuesAreCut) {
  EXPECT_EQ(json_quoted(std::string(64, 'x')), "\"" + std::string(64, 'x') + "\"");
  EXPECT_EQ(json_quoted(std::string(65, 'x')), "\"" + std::string(64, 'x') + "\"...");
  EXPECT_EQ(json_quoted(std::string(1 << 20, 'x')).size(), 64u + 2 + 3);
  EXPECT_EQ(json_quoted("abcdef", 3), R"("abc"...)");
}

TEST(JsonQuoted, CutsAtACharacterBoundary) {
  // "aé€" is 61 + 2 + 3 bytes; a cut at 64 would split the euro sign: it goes whole.
  std::string s = std::string(61, 'a') + "\xC3\xA9" + "\xE2\x82\xAC";
  EXPECT_EQ(json_quoted(s), "\"" + std::string(61, 'a') + "\xC3\xA9\"...");
  // A cut inside the 2-byte é (at 62) drops it rather than writing U+FFFD.
  EXPECT_EQ(json_quoted(s, 62), "\"" + std::string(61, 'a') + "\"...");
}

}  // namespace
}  // namespace tern::admin
