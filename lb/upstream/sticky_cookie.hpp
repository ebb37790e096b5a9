// The value of ALB's target stickiness cookies (AWSALB for lb_cookie, AWSALBAPP-0 for
// app_cookie): which target of which group, until when, authenticated so that a client
// cannot forge or edit one to pick a target. Format: base64url (no padding) of
//   version(1) | expiry unix seconds(8, big endian) | port(2) | family(1, 4 or 6) |
//   address(4 or 16) | HMAC-SHA256(key, group name | 0 | those bytes), first 16 bytes.
// The key comes from make_sticky_key, once, at start-up: derived from the fleet key
// (config `fleet_key_file`, HKDF-SHA256 with the label kStickyKeyLabel), so every tern of
// a fleet honours the others' cookies, also across restarts; without a fleet key, 32
// random bytes per process, so cookies outlive reloads, not restarts (a restarted tern
// re-balances sticky clients, as ALB does when a cookie cannot be read). A running
// process never changes its key: a reload with another fleet key only warns.
//
// Thread affinity: none (pure functions of the key they are given; each worker holds a
// copy of the key, written before its thread starts and only read afterwards).
// Ownership: writes into caller-owned strings.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "lb/upstream/sticky_key.hpp"

namespace tern::upstream {

inline constexpr std::string_view kLbCookie = "AWSALB";
inline constexpr std::string_view kLbCorsCookie = "AWSALBCORS";
inline constexpr std::string_view kAppCookie = "AWSALBAPP-0";

// The HKDF label (info) of the cookie key; another use of the fleet key takes another.
inline constexpr std::string_view kStickyKeyLabel = "tern stickiness cookie v1";

// The key derived from `fleet_key`, or 32 random bytes when `fleet_key` is empty; nullopt
// when OpenSSL can provide neither.
std::optional<StickyKey> make_sticky_key(std::string_view fleet_key);

// Appends the cookie value naming `target` of `group`, valid until `expiry_unix`.
void append_sticky_value(const StickyKey& key, std::string_view group,
                         const boost::asio::ip::tcp::endpoint& target, int64_t expiry_unix,
                         std::string& out);

// The target a cookie value names, when it is authentic for `group` and not expired.
std::optional<boost::asio::ip::tcp::endpoint> read_sticky_value(const StickyKey& key,
                                                                std::string_view group,
                                                                std::string_view value,
                                                                int64_t now_unix);

}  // namespace tern::upstream
