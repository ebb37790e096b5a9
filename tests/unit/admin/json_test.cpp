// The JSON writer: exact text for every value kind, string escaping (RFC 8259 §7) and the
// UTF-8 handling (valid passes through, invalid becomes U+FFFD per maximal subpart).
#include "lb/admin/json.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace tern::admin {
namespace {

std::string quoted(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

TEST(JsonString, PlainAsciiIsQuoted) {
  EXPECT_EQ(quoted(""), R"("")");
  EXPECT_EQ(quoted("app"), R"("app")");
  EXPECT_EQ(quoted("a/b c'd"), R"("a/b c'd")");  // '/' and '\'' need no escape
}

TEST(JsonString, QuoteAndBackslashAreEscaped) {
  EXPECT_EQ(quoted(R"(say "hi")"), R"("say \"hi\"")");
  EXPECT_EQ(quoted(R"(C:\dir\)"), R"("C:\\dir\\")");
  EXPECT_EQ(quoted(R"(\")"), R"("\\\"")");
}

TEST(JsonString, ControlCharactersAreUnicodeEscapes) {
  EXPECT_EQ(quoted("a\nb"), R"("a\u000ab")");
  EXPECT_EQ(quoted("\r\t\b\f"), R"("\u000d\u0009\u0008\u000c")");
  EXPECT_EQ(quoted(std::string_view("\0x", 2)), R"("\u0000x")");
  EXPECT_EQ(quoted("\x1f"), R"("\u001f")");
  EXPECT_EQ(quoted("\x1b[31m"), R"("\u001b[31m")");
}

TEST(JsonString, DeleteAndSpaceAreNotEscaped) {
  EXPECT_EQ(quoted(" \x7f~"), "\" \x7f~\"");
}

TEST(JsonString, ValidUtf8PassesThrough) {
  EXPECT_EQ(quoted("caf\xC3\xA9"), "\"caf\xC3\xA9\"");            // 2 bytes
  EXPECT_EQ(quoted("\xE2\x82\xAC 5"), "\"\xE2\x82\xAC 5\"");      // 3 bytes (€)
  EXPECT_EQ(quoted("\xF0\x9F\x90\xA2"), "\"\xF0\x9F\x90\xA2\"");  // 4 bytes (🐢)
  EXPECT_EQ(quoted("\xED\x9F\xBF"), "\"\xED\x9F\xBF\"");          // U+D7FF
  EXPECT_EQ(quoted("\xEE\x80\x80"), "\"\xEE\x80\x80\"");          // U+E000
  EXPECT_EQ(quoted("\xF4\x8F\xBF\xBF"), "\"\xF4\x8F\xBF\xBF\"");  // U+10FFFF
  EXPECT_EQ(quoted("\xE2\x80\xA8"), "\"\xE2\x80\xA8\"");          // U+2028 is valid JSON
}

TEST(JsonString, InvalidUtf8BecomesReplacementCharacters) {
  const std::string r = "\xEF\xBF\xBD";
  EXPECT_EQ(quoted("\xFF"), "\"" + r + "\"");
  EXPECT_EQ(quoted("a\x80z"), "\"a" + r + "z\"");                      // lone continuation
  EXPECT_EQ(quoted("\xC0\xAF"), "\"" + r + r + "\"");                  // overlong '/'
  EXPECT_EQ(quoted("\xC3"), "\"" + r + "\"");                          // truncated at the end
  EXPECT_EQ(quoted("\xC3("), "\"" + r + "(\"");                        // bad continuation
  EXPECT_EQ(quoted("\xE2\x82("), "\"" + r + "(\"");                    // maximal subpart: one
  EXPECT_EQ(quoted("\xE0\x80\x80"), "\"" + r + r + r + "\"");          // overlong 3-byte
  EXPECT_EQ(quoted("\xED\xA0\x80"), "\"" + r + r + r + "\"");          // UTF-16 surrogate
  EXPECT_EQ(quoted("\xF4\x90\x80\x80"), "\"" + r + r + r + r + "\"");  // above U+10FFFF
  EXPECT_EQ(quoted("\xF0\x9F\x90"), "\"" + r + "\"");                  // truncated 4-byte
  EXPECT_EQ(quoted("\xF5\x80"), "\"" + r + r + "\"");
}

TEST(JsonWriter, EmptyContainers) {
  EXPECT_EQ(JsonWriter().begin_object().end_object().str(), "{}");
  EXPECT_EQ(JsonWriter().begin_array().end_array().str(), "[]");
}

TEST(JsonWriter, ObjectMembersAreCommaSeparated) {
  JsonWriter w;
  w.begin_object().member("a", 1).member("b", "x").member("c", true).key("d").null().end_object();
  EXPECT_EQ(w.str(), R"({"a":1,"b":"x","c":true,"d":null})");
}

TEST(JsonWriter, NestedContainers) {
  JsonWriter w;
  w.begin_object().key("list").begin_array();
  w.begin_object().member("id", "x").end_object();
  w.begin_array().end_array();
  w.value(false);
  w.end_array();
  w.key("empty").begin_object().end_object();
  w.member("n", -3).end_object();
  EXPECT_EQ(w.str(), R"({"list":[{"id":"x"},[],false],"empty":{},"n":-3})");
}

TEST(JsonWriter, TopLevelArrayOfScalars) {
  JsonWriter w;
  w.begin_array().value("a").value(std::string("b")).value(std::string_view("c")).end_array();
  EXPECT_EQ(w.str(), R"(["a","b","c"])");
}

TEST(JsonWriter, KeysAreEscapedToo) {
  JsonWriter w;
  w.begin_object().member("a\"b", 0).end_object();
  EXPECT_EQ(w.str(), R"({"a\"b":0})");
}

TEST(JsonWriter, IntegersOfEveryWidth) {
  JsonWriter w;
  w.begin_array()
      .value(std::numeric_limits<int64_t>::min())
      .value(std::numeric_limits<int64_t>::max())
      .value(std::numeric_limits<uint64_t>::max())
      .value(uint16_t{8000})
      .value(int8_t{-1})
      .value(0u)
      .end_array();
  EXPECT_EQ(w.str(), "[-9223372036854775808,9223372036854775807,18446744073709551615,8000,-1,0]");
}

TEST(JsonWriter, DoublesAreShortestRoundTrip) {
  JsonWriter w;
  w.begin_array().value(1.5).value(0.1).value(-2.0).value(1e21).value(0.0).end_array();
  EXPECT_EQ(w.str(), "[1.5,0.1,-2,1e+21,0]");
}

TEST(JsonWriter, NonFiniteDoublesAreNull) {
  JsonWriter w;
  w.begin_array()
      .value(std::numeric_limits<double>::quiet_NaN())
      .value(std::numeric_limits<double>::infinity())
      .value(-std::numeric_limits<double>::infinity())
      .end_array();
  EXPECT_EQ(w.str(), "[null,null,null]");
}

TEST(JsonWriter, TakeMovesTheText) {
  JsonWriter w;
  w.begin_object().end_object();
  std::string s = w.take();
  EXPECT_EQ(s, "{}");
}

}  // namespace
}  // namespace tern::admin
