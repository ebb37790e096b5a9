// MessageHead helpers: spans into the read buffer, case-insensitive lookups.
#include "lb/http/message_head.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tern::http {
namespace {

TEST(Span, ViewAndBounds) {
  std::string buf = "0123456789";
  Span s{2, 3};
  EXPECT_EQ(s.view(buf.data()), "234");
  EXPECT_EQ(s.end(), 5u);
  EXPECT_FALSE(s.empty());
  EXPECT_TRUE(Span{}.empty());
  EXPECT_EQ(Span{}.view(buf.data()), "");
}

TEST(Iequals, AsciiCaseInsensitive) {
  struct Case {
    std::string a, b;
    bool equal;
  };
  for (const Case& c :
       {Case{"", "", true}, Case{"Host", "host", true}, Case{"HOST", "hOsT", true},
        Case{"Content-Length", "content-length", true}, Case{"Host", "Hos", false},
        Case{"Host", "Hosts", false}, Case{"Host", "Hust", false}, Case{"a-b", "a_b", false},
        // Only A-Z fold; '@' and '`', '[' and '{' are different bytes.
        Case{"@", "`", false}, Case{"[", "{", false}, Case{"Z", "z", true},
        Case{"\xc9", "\xe9", false}}) {
    EXPECT_EQ(iequals(c.a, c.b), c.equal) << c.a << " vs " << c.b;
    EXPECT_EQ(iequals(c.b, c.a), c.equal) << c.b << " vs " << c.a;
  }
}

// "Host: a" "X-A: 1" "x-a: 2" laid out in one buffer.
struct Fixture {
  std::string buf =
      "Hosta"
      "X-A1"
      "x-a2";
  MessageHead head;
  Fixture() {
    head.headers.push_back({Span{0, 4}, Span{4, 1}});
    head.headers.push_back({Span{5, 3}, Span{8, 1}});
    head.headers.push_back({Span{9, 3}, Span{12, 1}});
  }
};

TEST(FindHeader, FirstMatchCaseInsensitive) {
  Fixture f;
  bool found = false;
  EXPECT_EQ(find_header(f.head, f.buf.data(), "x-a", &found), "1");
  EXPECT_TRUE(found);
  EXPECT_EQ(find_header(f.head, f.buf.data(), "HOST", &found), "a");
  EXPECT_TRUE(found);
  EXPECT_EQ(find_header(f.head, f.buf.data(), "X-B", &found), "");
  EXPECT_FALSE(found);
  EXPECT_EQ(find_header(f.head, f.buf.data(), "X-B"), "");  // `found` is optional
}

TEST(CountHeader, CountsEveryLine) {
  Fixture f;
  EXPECT_EQ(count_header(f.head, f.buf.data(), "X-A"), 2);
  EXPECT_EQ(count_header(f.head, f.buf.data(), "host"), 1);
  EXPECT_EQ(count_header(f.head, f.buf.data(), "Cookie"), 0);
}

TEST(MessageHead, ClearRestoresDefaults) {
  MessageHead h;
  h.method = 3;
  h.method_text = {1, 2};
  h.target = {3, 4};
  h.version_minor = 0;
  h.status = 200;
  h.reason = {5, 6};
  h.headers.push_back({});
  h.has_content_length = h.chunked = h.upgrade = true;
  h.keep_alive = false;
  h.content_length = 9;
  h.head_bytes = 10;
  size_t capacity = h.headers.capacity();
  h.clear();
  EXPECT_EQ(h.method, 0);
  EXPECT_TRUE(h.method_text.empty());
  EXPECT_TRUE(h.target.empty());
  EXPECT_EQ(h.version_major, 1);
  EXPECT_EQ(h.version_minor, 1);
  EXPECT_EQ(h.status, 0);
  EXPECT_TRUE(h.reason.empty());
  EXPECT_TRUE(h.headers.empty());
  EXPECT_EQ(h.headers.capacity(), capacity);  // storage is reused across messages
  EXPECT_FALSE(h.has_content_length);
  EXPECT_FALSE(h.chunked);
  EXPECT_FALSE(h.upgrade);
  EXPECT_TRUE(h.keep_alive);
  EXPECT_EQ(h.content_length, 0u);
  EXPECT_EQ(h.head_bytes, 0u);
}

}  // namespace
}  // namespace tern::http
