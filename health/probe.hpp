// One HTTP health probe (spec/config.md, "Health, exactly"): connect to the target's
// health-check endpoint, send `GET <path>` (probe_message.hpp), read the status line,
// close. The whole probe is bounded by the check's timeout.
//
// Outcome: kOk when the code matches the check's matcher; kStatusMismatch with the code;
// kTimeout when connect + request + status line took longer than the timeout; kFailed
// when the connect was refused, the connection reset or closed before a status line, or
// the status line was not HTTP/1.x. Expected failures are values: nothing is thrown.
// Cancelling the awaiting coroutine (terminal cancellation) aborts the probe (kFailed).
//
// Thread affinity: runs on the executor of the awaiting coroutine (the control thread's
// io_context). Ownership: the probe owns its socket and timer for its duration; the
// arguments are taken by value.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "config/config.hpp"
#include "health/state.hpp"

namespace tern::health {

// Uses check.path, check.timeout and check.matcher; `endpoint` is where to probe (the
// check's port already applied).
boost::asio::awaitable<ProbeResult> probe(boost::asio::ip::tcp::endpoint endpoint,
                                          config::HealthCheck check);

}  // namespace tern::health
