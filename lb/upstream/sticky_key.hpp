// The HMAC key of the stickiness cookies (see sticky_cookie.hpp, which makes and uses
// it), in a header of its own so that whoever only holds the key (a worker's context, the
// server) does not see the cookie code and its names.
//
// Thread affinity: none (a value). Ownership: a value, copied to each holder.
#pragma once

#include <array>

namespace tern::upstream {

using StickyKey = std::array<unsigned char, 32>;

}  // namespace tern::upstream
