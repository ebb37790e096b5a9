// An in-process HTTP/1.1 test backend (a "target" in tern's words) on 127.0.0.1, port 0
// by default. It records every request it receives and counts connections, so a test can
// assert what reached a target and how (keep-alive reuse, nothing at all, ...).
//
// Behaviours, chosen by the request path (the query adds options):
//   /                 200 "hello from NAME"
//   /health           200 "ok" (a health-check path)
//   /echo             200, text/plain: method, target, version, every header in order,
//                     body size and SHA-256
//   /bytes/N          N pattern bytes (pattern.hpp) with Content-Length; ?stall_after=K
//                     stops sending after K bytes (and never closes)
//   /chunked/N        N pattern bytes chunked; ?chunk=K piece size (default 16 KiB),
//                     ?trailers=1 adds the trailers X-Checksum (SHA-256) and X-Size
//   /sha256           consumes the body (either framing) and answers "HEX SIZE", also as
//                     X-Body-Sha256 / X-Body-Size headers
//   /status/N         status N; 204 without body, 304 with `Content-Length: 12` and no body
//   /delay/MS         answers after MS milliseconds
//   /close            answers with Connection: close, then closes; ?silent=1 omits the
//                     Connection header (the close is a surprise to the peer)
//   /drop-next        answers, then closes the connection without a response when the
//                     next request arrives on it (a stale keep-alive connection)
//   /reset            reads the request, then resets the connection (no response)
//   /garbage          answers bytes that are not HTTP, then closes
//   /hang             never answers (until the peer closes or the backend stops)
//   /100, /103        an interim 100 Continue / 103 Early Hints before the final 200
//   /stall            reads the head and nothing more, never answers (backpressure tests)
//   /bad/KIND         an invalid or hostile response: cl-te (Content-Length and chunked),
//                     two-cl (differing lengths), status (4-digit code), bare-lf (LF line
//                     ends), truncated (closes inside the body), bad-chunk (invalid chunk
//                     size), extra (a second, unrequested response after the first)
// Any path takes ?set_cookie=NAME=VALUE: the response sets that cookie (app stickiness).
// Every response carries X-Backend: NAME and X-Connection-Id; HEAD gets the GET headers
// without a body; `Expect: 100-continue` is answered with 100 before the body is read.
// Bodies are streamed in both directions (constant memory, any size).
//
// Thread affinity: the public API may be called from any thread. Internally one accept
// thread plus one thread per connection. Ownership: the test owns the Backend; its
// destructor stops the threads and closes every socket.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/http_message.hpp"
#include "tests/support/socket_io.hpp"

namespace tern::test {

struct RecordedRequest {
  uint64_t index = 0;          // arrival order at this backend, from 0
  uint64_t connection_id = 0;  // accept order at this backend, from 1
  std::string method;
  std::string target;
  std::string version;
  Headers headers;  // in the order received
  Headers trailers;
  bool chunked = false;
  uint64_t body_size = 0;
  std::string body_sha256;
  bool complete = false;  // head and whole body were read
  std::string error;      // set when the request was malformed or cut short

  std::optional<std::string> header(std::string_view name) const {
    return find_header(headers, name);
  }
  std::vector<std::string> header_all(std::string_view name) const {
    return find_all(headers, name);
  }
};

struct BackendOptions {
  std::string name = "backend";
  std::string host = "127.0.0.1";
  uint16_t port = 0;
};

class Backend {
 public:
  explicit Backend(std::string name);
  explicit Backend(BackendOptions options);
  ~Backend();
  Backend(const Backend&) = delete;
  Backend& operator=(const Backend&) = delete;

  // Stops accepting, closes every connection and joins the threads. Idempotent.
  void stop();

  const std::string& name() const { return options_.name; }
  uint16_t port() const { return port_; }
  std::string address() const;  // "127.0.0.1:PORT"

  size_t request_count() const;
  size_t complete_request_count() const;
  std::vector<RecordedRequest> requests() const;
  std::optional<RecordedRequest> last_request() const;
  uint64_t connections_accepted() const;
  uint64_t bytes_written() const { return bytes_written_.load(); }
  size_t open_connections() const;

  // tern's health probes (User-Agent: tern-health-checker) are answered but neither
  // recorded as requests nor counted as connections: tests of traffic see only traffic.
  // A probe gets the status set here (0 = as its path would be answered; -1 = never
  // answered, the connection is held until the prober gives up).
  void set_probe_status(int status);
  size_t probe_count() const;
  bool wait_for_probes(size_t n, Millis timeout) const;

  bool wait_for_requests(size_t n, Millis timeout) const;
  bool wait_for_complete_requests(size_t n, Millis timeout) const;
  bool wait_for_open_connections_at_most(size_t n, Millis timeout) const;
  // Waits until at least n connections wait for their next request.
  bool wait_for_idle_connections(size_t n, Millis timeout) const;

  // Closes (FIN) every connection that is waiting for its next request, the way a
  // server's keep-alive timeout does. Returns how many were closed.
  size_t close_idle_connections();

  // ---- used by the connection threads (backend_session.cpp) ----
  size_t record(RecordedRequest request);  // returns the index
  // Counts a probe on connection `id`; returns the status to answer it with (see above).
  int record_probe(uint64_t connection_id);
  void update(size_t index, const RecordedRequest& request);
  void set_idle(uint64_t connection_id, bool idle);
  bool stopping() const { return stopping_.load(); }
  void add_written(uint64_t n) { bytes_written_ += n; }
  // Waits for the delay or until stop(); false when stopped.
  bool sleep_for(Millis delay);

 private:
  struct Connection {
    int fd = -1;
    bool idle = false;
    std::thread thread;
  };

  void start();
  void accept_loop();
  void serve(uint64_t id, Fd fd);
  void reap_finished();

  BackendOptions options_;
  uint16_t port_ = 0;
  Fd listen_fd_;
  Fd wake_fd_;
  std::thread accept_thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> bytes_written_{0};

  mutable std::mutex mu_;
  mutable std::condition_variable changed_;
  std::vector<RecordedRequest> requests_;
  std::map<uint64_t, Connection> connections_;
  std::vector<uint64_t> finished_;
  uint64_t accepted_ = 0;
  std::set<uint64_t> probe_connections_;
  size_t probes_ = 0;
  int probe_status_ = 0;
};

}  // namespace tern::test
