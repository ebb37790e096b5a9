// Address, host and CIDR parsing; which listen addresses overlap.
#include "config/address.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tern::config {
namespace {

struct SplitCase {
  const char* text;
  bool ok;
  const char* host;
  int port;  // -1: none
  bool ipv6;
};

class SplitTest : public testing::TestWithParam<SplitCase> {};

TEST_P(SplitTest, Splits) {
  const SplitCase& c = GetParam();
  std::string error;
  auto parts = split_host_port(c.text, error);
  ASSERT_EQ(parts.has_value(), c.ok) << c.text << ": " << error;
  if (!parts) {
    EXPECT_FALSE(error.empty());
    return;
  }
  EXPECT_EQ(parts->host, c.host) << c.text;
  EXPECT_EQ(parts->port ? static_cast<int>(*parts->port) : -1, c.port) << c.text;
  EXPECT_EQ(parts->ipv6, c.ipv6) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    All, SplitTest,
    testing::Values(SplitCase{"10.0.1.17:8000", true, "10.0.1.17", 8000, false},
                    SplitCase{":80", true, "", 80, false}, SplitCase{":0", true, "", 0, false},
                    SplitCase{"[::1]:8080", true, "::1", 8080, true},
                    SplitCase{"[::]:443", true, "::", 443, true},
                    SplitCase{"[2001:db8::1]", true, "2001:db8::1", -1, true},
                    SplitCase{"2001:db8::1", true, "2001:db8::1", -1, true},
                    SplitCase{"host.example:65535", true, "host.example", 65535, false},
                    SplitCase{"10.0.0.1", true, "10.0.0.1", -1, false},
                    SplitCase{"", false, "", -1, false},
                    SplitCase{"10.0.0.1:", false, "", -1, false},
                    SplitCase{"10.0.0.1:65536", false, "", -1, false},
                    SplitCase{"10.0.0.1:-1", false, "", -1, false},
                    SplitCase{"10.0.0.1:8o", false, "", -1, false},
                    SplitCase{"[::1", false, "", -1, false},
                    SplitCase{"[::1]80", false, "", -1, false},
                    SplitCase{"[10.0.0.1]:80", false, "", -1, false},
                    SplitCase{"fe80::1%eth0:80", false, "", -1, false},
                    SplitCase{"2001:db8::g:80", false, "", -1, false}));

TEST(Address, Literals) {
  EXPECT_TRUE(is_ipv4_literal("127.0.0.1"));
  EXPECT_FALSE(is_ipv4_literal("127.1"));
  EXPECT_FALSE(is_ipv4_literal("256.0.0.1"));
  EXPECT_FALSE(is_ipv4_literal("::1"));
  EXPECT_TRUE(is_ipv6_literal("::1"));
  EXPECT_TRUE(is_ipv6_literal("::ffff:10.0.0.1"));
  EXPECT_FALSE(is_ipv6_literal("10.0.0.1"));
  EXPECT_FALSE(is_ipv6_literal("[::1]"));
}

TEST(Address, DnsNames) {
  EXPECT_TRUE(is_dns_name("localhost"));
  EXPECT_TRUE(is_dns_name("api.example.com"));
  EXPECT_TRUE(is_dns_name("api.example.com."));
  EXPECT_TRUE(is_dns_name("a-b.c1"));
  EXPECT_FALSE(is_dns_name(""));
  EXPECT_FALSE(is_dns_name("-a.example"));
  EXPECT_FALSE(is_dns_name("a-.example"));
  EXPECT_FALSE(is_dns_name("a..example"));
  EXPECT_FALSE(is_dns_name("under_score.example"));
  EXPECT_FALSE(is_dns_name(std::string(64, 'a') + ".example"));
  EXPECT_FALSE(is_dns_name(std::string(254, 'a')));
}

TEST(Address, Cidrs) {
  EXPECT_EQ(check_cidr("10.0.0.0/8"), std::nullopt);
  EXPECT_EQ(check_cidr("0.0.0.0/0"), std::nullopt);
  EXPECT_EQ(check_cidr("10.1.2.3/32"), std::nullopt);
  EXPECT_EQ(check_cidr("2001:db8::/32"), std::nullopt);
  EXPECT_EQ(check_cidr("::/0"), std::nullopt);
  EXPECT_EQ(check_cidr("::1/128"), std::nullopt);
  EXPECT_EQ(check_cidr("10.0.0.1/8"), "host bits are set after the prefix");
  EXPECT_EQ(check_cidr("2001:db8::1/32"), "host bits are set after the prefix");
  EXPECT_EQ(check_cidr("10.0.0.0"), "missing '/PREFIX'");
  EXPECT_EQ(check_cidr("10.0.0.0/33"), "prefix length '33' is not in 0..32");
  EXPECT_EQ(check_cidr("::/129"), "prefix length '129' is not in 0..128");
  EXPECT_EQ(check_cidr("10.0.0.0/"), "prefix length '' is not in 0..32");
  EXPECT_EQ(check_cidr("ten/8"), "'ten' is not an IP address");
}

Address bind(const std::string& host, uint16_t port) {
  return Address{host, port, host.find(':') != std::string::npos, host + ":" + std::to_string(port),
                 Mark{}};
}

TEST(Address, OverlappingBinds) {
  EXPECT_TRUE(binds_overlap(bind("127.0.0.1", 80), bind("127.0.0.1", 80)));
  EXPECT_TRUE(binds_overlap(bind("", 80), bind("127.0.0.1", 80)));
  EXPECT_TRUE(binds_overlap(bind("::1", 80), bind("", 80)));
  EXPECT_TRUE(binds_overlap(bind("0.0.0.0", 80), bind("10.0.0.1", 80)));
  EXPECT_TRUE(binds_overlap(bind("::", 80), bind("10.0.0.1", 80)));
  EXPECT_TRUE(binds_overlap(bind("::1", 80), bind("0:0::1", 80)));
  EXPECT_FALSE(binds_overlap(bind("0.0.0.0", 80), bind("::1", 80)));
  EXPECT_FALSE(binds_overlap(bind("127.0.0.1", 80), bind("127.0.0.2", 80)));
  EXPECT_FALSE(binds_overlap(bind("127.0.0.1", 80), bind("127.0.0.1", 81)));
  EXPECT_FALSE(binds_overlap(bind("127.0.0.1", 0), bind("127.0.0.1", 0)));
}

TEST(Address, IpBytes) {
  auto v4 = ip_bytes("10.0.0.1");
  ASSERT_TRUE(v4);
  EXPECT_EQ((*v4)[10], 0xff);
  EXPECT_EQ((*v4)[15], 1);
  EXPECT_EQ(ip_bytes("::ffff:10.0.0.1"), v4);
  EXPECT_FALSE(ip_bytes("host"));
}

}  // namespace
}  // namespace tern::config
