// A minimal JSON text writer (RFC 8259) for the admin API's response bodies: objects,
// arrays, strings, numbers, booleans and null, written straight into one string. It
// writes what it is told in the order it is told; keeping objects and arrays balanced
// and putting a key() before each member value is the caller's job (it is not a DOM and
// does not validate structure).
//
// Strings are always valid JSON: `"` and `\` are escaped, control characters (U+0000 to
// U+001F) are written as \u00XX, valid UTF-8 passes through unchanged, and bytes that are
// not valid UTF-8 (a request path is client-controlled) become U+FFFD.
//
// Thread affinity: none (a value type). Ownership: owns the text it builds.
#pragma once

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

namespace tern::admin {

// Appends `s` as a quoted JSON string, escaped as described above.
void append_json_string(std::string& out, std::string_view s);

class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();

  // A member name inside an object; the next value (or begin_*) is its value.
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(bool b);
  // Shortest text that reads back as the same double; NaN and infinities (not JSON
  // numbers) are written as null.
  JsonWriter& value(double d);
  template <std::integral T>
  requires(!std::same_as<T, bool> && !std::same_as<T, char>) JsonWriter& value(T n) {
    if constexpr (std::is_signed_v<T>) {
      return signed_value(static_cast<int64_t>(n));
    } else {
      return unsigned_value(static_cast<uint64_t>(n));
    }
  }
  JsonWriter& null();

  // key(name).value(v), the common case.
  template <typename T>
  JsonWriter& member(std::string_view name, const T& v) {
    return key(name).value(v);
  }

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  JsonWriter& signed_value(int64_t n);
  JsonWriter& unsigned_value(uint64_t n);
  template <typename T>
  JsonWriter& number(T n);  // the shortest decimal form (std::to_chars)
  // A comma before every element but the first of its container.
  void separate();

  std::string out_;
  bool need_comma_ = false;
};

}  // namespace tern::admin
