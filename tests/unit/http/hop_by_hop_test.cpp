// Which fields a proxy must not forward (RFC 9110 §7.6.1), Connection options, and the
// comma-list tokenizer they share.
#include "lb/http/hop_by_hop.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "lb/http/parser.hpp"

namespace tern::http {
namespace {

struct NameCase {
  const char* name;
  bool hop_by_hop;
};

class HopByHopNameTest : public ::testing::TestWithParam<NameCase> {};

TEST_P(HopByHopNameTest, Classifies) {
  EXPECT_EQ(is_hop_by_hop(GetParam().name), GetParam().hop_by_hop) << GetParam().name;
}

INSTANTIATE_TEST_SUITE_P(
    Names, HopByHopNameTest,
    ::testing::Values(NameCase{"Connection", true}, NameCase{"connection", true},
                      NameCase{"CONNECTION", true}, NameCase{"Keep-Alive", true},
                      NameCase{"keep-alive", true}, NameCase{"TE", true}, NameCase{"te", true},
                      NameCase{"Trailer", true}, NameCase{"Transfer-Encoding", true},
                      NameCase{"transfer-encoding", true}, NameCase{"Upgrade", true},
                      NameCase{"Proxy-Connection", true}, NameCase{"Proxy-Authorization", true},
                      NameCase{"Proxy-Authenticate", true}, NameCase{"proxy-x", true},
                      // Proxy-* names as long as a fixed name (2, 7, 10, 17 bytes).
                      NameCase{"Proxy-A", true}, NameCase{"Proxy-Auth", true},
                      NameCase{"Proxy-Abcdefghijk", true},
                      // Not hop-by-hop: look-alikes and end-to-end fields.
                      NameCase{"Proxy-", false}, NameCase{"Proxy", false},
                      NameCase{"Trailers", false}, NameCase{"Tex", false}, NameCase{"T", false},
                      NameCase{"", false}, NameCase{"Upgrade-Insecure-Requests", false},
                      NameCase{"X-Connection", false}, NameCase{"Connections", false},
                      NameCase{"Transfer-Encodings", false}, NameCase{"Keep-Alive2", false},
                      NameCase{"Content-Length", false}, NameCase{"Host", false},
                      NameCase{"Expect", false}, NameCase{"Cookie", false},
                      NameCase{"X-Proxy-Id", false}, NameCase{"Reverse-Proxy-X", false}),
    [](const ::testing::TestParamInfo<NameCase>& i) {
      std::string n;
      for (char c : std::string(i.param.name))
        n += (std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
      return (n.empty() ? std::string("empty") : n) + "_" + std::to_string(i.index);
    });

std::vector<std::string> tokens_of(std::string_view list) {
  std::vector<std::string> out;
  for_each_token(list, [&](std::string_view t) { out.emplace_back(t); });
  return out;
}

TEST(ForEachToken, SplitsTrimsAndSkipsEmpty) {
  using V = std::vector<std::string>;
  EXPECT_EQ(tokens_of(""), V{});
  EXPECT_EQ(tokens_of(","), V{});
  EXPECT_EQ(tokens_of(" , ,\t,"), V{});
  EXPECT_EQ(tokens_of("a"), V{"a"});
  EXPECT_EQ(tokens_of("a,b"), (V{"a", "b"}));
  EXPECT_EQ(tokens_of("  a ,\tb\t, ,c,"), (V{"a", "b", "c"}));
  EXPECT_EQ(tokens_of(",a,,b,"), (V{"a", "b"}));
  EXPECT_EQ(tokens_of("a b, c"), (V{"a b", "c"}));  // inner whitespace is kept
}

// A head with the given fields, parsed, so that ConnectionTokens sees real offsets.
class Head {
 public:
  explicit Head(std::string fields) : wire_("GET / HTTP/1.1\r\nHost: a\r\n" + fields + "\r\n") {
    parser_.start();
    auto r = parser_.feed(wire_.data(), 0, wire_.size());
    EXPECT_EQ(r.event, Parser::Event::kHeadComplete) << parser_.error_reason();
  }
  ConnectionTokens tokens() const { return ConnectionTokens(parser_.head(), wire_.data()); }

 private:
  std::string wire_;
  Parser parser_{Parser::Kind::kRequest};
};

TEST(ConnectionTokens, NoConnectionField) {
  Head head_t("X-A: b\r\n");  // outlives the tokens, which view its bytes
  ConnectionTokens t = head_t.tokens();
  EXPECT_FALSE(t.close());
  EXPECT_FALSE(t.keep_alive());
  EXPECT_FALSE(t.upgrade());
  EXPECT_FALSE(t.contains("x-a"));
}

TEST(ConnectionTokens, Flags) {
  struct Case {
    std::string fields;
    bool close, keep_alive, upgrade;
  };
  for (const Case& c : {Case{"Connection: close\r\n", true, false, false},
                        Case{"Connection: CLOSE\r\n", true, false, false},
                        Case{"Connection: keep-alive\r\n", false, true, false},
                        Case{"Connection: Keep-Alive, Upgrade\r\n", false, true, true},
                        Case{"Connection: upgrade\r\nConnection: close\r\n", true, false, true},
                        Case{"Connection: closed, keep-alive2\r\n", false, false, false}}) {
    Head head_t(c.fields);  // outlives the tokens, which view its bytes
    ConnectionTokens t = head_t.tokens();
    EXPECT_EQ(t.close(), c.close) << c.fields;
    EXPECT_EQ(t.keep_alive(), c.keep_alive) << c.fields;
    EXPECT_EQ(t.upgrade(), c.upgrade) << c.fields;
  }
}

TEST(ConnectionTokens, NamesAreCaseInsensitiveAndFromEveryLine) {
  Head head_t("Connection: X-One, x-TWO\r\nconnection: x-three\r\n");  // outlives the tokens, which
                                                                       // view its bytes
  ConnectionTokens t = head_t.tokens();
  EXPECT_TRUE(t.contains("x-one"));
  EXPECT_TRUE(t.contains("X-Two"));
  EXPECT_TRUE(t.contains("X-THREE"));
  EXPECT_TRUE(t.contains("upgrade") == false);
  EXPECT_FALSE(t.contains("x-on"));
  EXPECT_FALSE(t.contains("x-one2"));
  EXPECT_FALSE(t.contains("close"));  // close/keep-alive are options, not field names
  EXPECT_FALSE(t.contains("keep-alive"));
}

TEST(ConnectionTokens, UpgradeIsAlsoAName) {
  Head head_t("Connection: upgrade\r\nUpgrade: websocket\r\n");  // outlives the tokens, which view
                                                                 // its bytes
  ConnectionTokens t = head_t.tokens();
  EXPECT_TRUE(t.contains("Upgrade"));
}

TEST(ConnectionTokens, EndToEndFramingCannotBeNamed) {
  // RFC 9110 §7.6.1: options naming fields meant for all recipients are not honoured.
  Head head("Connection: Content-Length, HOST, x-other\r\nContent-Length: 0\r\n");
  ConnectionTokens t = head.tokens();
  EXPECT_FALSE(t.contains("Content-Length"));
  EXPECT_FALSE(t.contains("Host"));
  EXPECT_TRUE(t.contains("X-Other"));
  EXPECT_FALSE(drop_on_forward("Content-Length", t));
  EXPECT_FALSE(drop_on_forward("host", t));
}

TEST(ConnectionTokens, SixteenNamesAreKept) {
  std::string list;
  for (int i = 0; i < 16; ++i) list += (i ? ", n" : "n") + std::to_string(i);
  Head head_t("Connection: " + list + "\r\n");  // outlives the tokens, which view its bytes
  ConnectionTokens t = head_t.tokens();
  for (int i = 0; i < 16; ++i) EXPECT_TRUE(t.contains("N" + std::to_string(i))) << i;
}

TEST(DropOnForward, HopByHopOrNamed) {
  Head head_t("Connection: x-a\r\n");  // outlives the tokens, which view its bytes
  ConnectionTokens t = head_t.tokens();
  EXPECT_TRUE(drop_on_forward("X-A", t));
  EXPECT_TRUE(drop_on_forward("Keep-Alive", t));
  EXPECT_TRUE(drop_on_forward("Connection", t));
  EXPECT_FALSE(drop_on_forward("X-B", t));
  EXPECT_FALSE(drop_on_forward("Host", t));
}

}  // namespace
}  // namespace tern::http
