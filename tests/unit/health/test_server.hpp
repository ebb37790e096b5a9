// A scripted HTTP server for the probe and checker tests, on the test's own io_context
// (127.0.0.1, port 0): it answers each connection according to its mode and counts what
// it saw. Also run_until(), the bounded wait the tests drive the io_context with.
//
// Thread affinity: the thread running the io_context (the test's). Ownership: the server
// owns its acceptor and the connections it keeps open (kSilent); its coroutines share its
// state, so destroying the server before the io_context is safe.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

namespace tern::health::test {

class TestServer {
 public:
  enum class Mode {
    kRespond,    // reads the request head, answers "HTTP/1.1 <status> ..." and closes
    kSplit,      // the same answer, one byte per write with pauses in between
    kSilent,     // reads the request head and never answers (kept open)
    kClose,      // closes as soon as accepted, before reading
    kReset,      // reads the request head and resets the connection (SO_LINGER 0)
    kGarbage,    // answers bytes that are not HTTP
    kTruncated,  // answers "HTTP/1.1 20" and closes
  };

  explicit TestServer(
      boost::asio::io_context& io, Mode mode = Mode::kRespond, int status = 200,
      const boost::asio::ip::address& address = boost::asio::ip::address_v4::loopback());
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  boost::asio::ip::tcp::endpoint endpoint() const;
  uint16_t port() const { return endpoint().port(); }

  void set_mode(Mode mode);
  void set_status(int status);
  int connections() const;  // accepted
  int requests() const;     // complete request heads read
  int peer_closed() const;  // kSilent: connections the client closed
  std::string last_request() const;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

// An endpoint on 127.0.0.1 where nothing listens (bound to port 0, then closed).
boost::asio::ip::tcp::endpoint closed_endpoint(boost::asio::io_context& io);

// Runs `io` one handler at a time until `done()` holds or `limit` passes; returns done().
template <typename Done>
bool run_until(boost::asio::io_context& io, Done&& done, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return done();
    if (io.stopped()) io.restart();
    // Nothing left to run: poll again shortly (the condition is checked with a deadline).
    if (io.run_one_until(deadline) == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// Runs `io` for `span` (to observe that something does NOT happen within it).
void run_for(boost::asio::io_context& io, std::chrono::milliseconds span);

}  // namespace tern::health::test
