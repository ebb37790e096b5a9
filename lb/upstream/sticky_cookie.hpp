// The value of ALB's target stickiness cookies (AWSALB for lb_cookie, AWSALBAPP-0 for
// app_cookie): which target of which group, until when, authenticated so that a client
// cannot forge or edit one to pick a target. Format: base64url (no padding) of
//   version(1) | expiry unix seconds(8, big endian) | port(2) | family(1, 4 or 6) |
//   address(4 or 16) | HMAC-SHA256(key, group name | 0 | those bytes), first 16 bytes.
// The key is 32 random bytes drawn once per process: cookies outlive reloads, not
// restarts (a restarted tern re-balances sticky clients, as ALB does when a cookie cannot
// be read).
//
// Thread affinity: none (pure functions; the key is created once, thread-safely).
// Ownership: writes into caller-owned strings.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tern::upstream {

inline constexpr std::string_view kLbCookie = "AWSALB";
inline constexpr std::string_view kLbCorsCookie = "AWSALBCORS";
inline constexpr std::string_view kAppCookie = "AWSALBAPP-0";

// Appends the cookie value naming `target` of `group`, valid until `expiry_unix`.
void append_sticky_value(std::string_view group, const boost::asio::ip::tcp::endpoint& target,
                         int64_t expiry_unix, std::string& out);

// The target a cookie value names, when it is authentic for `group` and not expired.
std::optional<boost::asio::ip::tcp::endpoint> read_sticky_value(std::string_view group,
                                                                std::string_view value,
                                                                int64_t now_unix);

}  // namespace tern::upstream
