#include "health/probe.hpp"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <memory>
#include <string>

#include "health/matcher.hpp"
#include "health/probe_message.hpp"

namespace tern::health {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

// The socket and the deadline that races it. Shared with the deadline's handler, which
// may run after the probe finished (expired just before it was cancelled).
struct Attempt {
  explicit Attempt(const asio::any_io_executor& executor) : socket(executor), deadline(executor) {}

  tcp::socket socket;
  asio::steady_timer deadline;
  bool timed_out = false;
  const char* stage = "connecting";
};

ProbeResult failure(const Attempt& attempt, const config::HealthCheck& check,
                    const error_code& ec) {
  if (attempt.timed_out) {
    return {
        ProbeResult::kTimeout, 0,
        "timed out after " + std::to_string(check.timeout.count()) + " ms while " + attempt.stage};
  }
  if (ec == asio::error::eof) {
    return {ProbeResult::kFailed, 0, "connection closed before a status line"};
  }
  return {ProbeResult::kFailed, 0, std::string(attempt.stage) + ": " + ec.message()};
}

// Connect, send the request, read up to the status code. `attempt` and `check` live in
// the caller's frame, which awaits this to completion.
asio::awaitable<ProbeResult> exchange(Attempt& attempt, const tcp::endpoint& endpoint,
                                      const config::HealthCheck& check) {
  auto [connect_ec] = co_await attempt.socket.async_connect(endpoint, kNoThrow);
  if (connect_ec) co_return failure(attempt, check, connect_ec);

  attempt.stage = "sending the request";
  const std::string request = probe_request(endpoint, check.path);
  auto [write_ec, written] =
      co_await asio::async_write(attempt.socket, asio::buffer(request), kNoThrow);
  if (write_ec) co_return failure(attempt, check, write_ec);

  // The status code is decided within 13 bytes; a server may send them in any pieces.
  attempt.stage = "reading the status line";
  std::array<char, 64> received{};
  size_t have = 0;
  for (;;) {
    auto [read_ec, n] = co_await attempt.socket.async_read_some(
        asio::buffer(received.data() + have, received.size() - have), kNoThrow);
    have += n;
    const StatusLine line = parse_status_line({received.data(), have});
    if (line.kind == StatusLine::kComplete) {
      if (match(line.status, check.matcher))
        co_return ProbeResult{ProbeResult::kOk, line.status, {}};
      co_return ProbeResult{ProbeResult::kStatusMismatch, line.status,
                            "status " + std::to_string(line.status)};
    }
    if (line.kind == StatusLine::kInvalid) {
      co_return ProbeResult{ProbeResult::kFailed, 0, "invalid status line"};
    }
    if (read_ec) co_return failure(attempt, check, read_ec);
  }
}

}  // namespace

asio::awaitable<ProbeResult> probe(tcp::endpoint endpoint, config::HealthCheck check) {
  auto attempt = std::make_shared<Attempt>(co_await asio::this_coro::executor);
  attempt->deadline.expires_after(check.timeout);
  // Closing the socket aborts whichever operation is pending with operation_aborted.
  attempt->deadline.async_wait([attempt](const error_code& ec) {
    if (ec) return;
    attempt->timed_out = true;
    error_code ignored;
    attempt->socket.close(ignored);
  });

  ProbeResult result = co_await exchange(*attempt, endpoint, check);

  attempt->deadline.cancel();
  error_code ignored;
  attempt->socket.close(ignored);
  co_return result;
}

}  // namespace tern::health
