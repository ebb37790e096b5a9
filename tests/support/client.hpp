// A raw HTTP/1.1 test client over one TCP connection: sends exact bytes, reads one
// response (status, headers, body framed by Content-Length, chunked or close; HEAD and
// 1xx/204/304 aware), detects close and reset, counts bytes. Bodies can be hashed instead
// of stored, and uploads stream deterministic bytes (pattern.hpp), so 1 GiB transfers run
// in constant memory.
//
// Thread affinity: one thread at a time per Client. Ownership: owns its socket.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/http_message.hpp"
#include "tests/support/socket_io.hpp"
#include "tests/support/stream_reader.hpp"

namespace tern::test {

struct Response {
  int status = 0;  // 0 when no complete response was read (see error)
  std::string version;
  std::string reason;
  Headers headers;
  std::string body;  // empty unless ReadOptions::store_body
  uint64_t body_size = 0;
  std::string body_sha256;
  bool chunked = false;
  Headers trailers;
  std::vector<Response> interim;  // 1xx responses before this one, in order
  std::string error;  // "timeout", "closed", "reset", or a framing error; empty when complete
  IoStatus io = IoStatus::kOk;

  bool ok() const { return error.empty() && status != 0; }
  std::optional<std::string> header(std::string_view name) const {
    return find_header(headers, name);
  }
  // Whether the server announced it closes the connection after this response.
  bool closes() const;
  std::string describe() const;  // one line for assertion messages
};

struct ReadOptions {
  Millis timeout{10000};  // bound on every wait for bytes
  bool head = false;      // response to HEAD: no body whatever the headers say
  bool store_body = true;
};

struct UploadOptions {
  std::string method = "POST";
  std::string target = "/sha256";
  std::string host = "localhost";
  uint64_t size = 0;
  bool chunked = false;
  size_t piece = 64 * 1024;  // write size, and chunk size when chunked
  Headers headers;           // extra request headers
  Headers trailers;          // sent after the last chunk (chunked only)
  bool expect_continue = false;
  Millis timeout{30000};
};

struct UploadResult {
  Response response;
  uint64_t sent = 0;
  std::string sent_sha256;  // of the body bytes actually sent
  bool got_continue = false;
  bool early_response = false;  // a response arrived before the whole body was sent
  std::string error;            // sending failed (closed/reset/timeout)
};

class Client {
 public:
  // Connects to 127.0.0.1:port; throws std::runtime_error when the connect fails.
  explicit Client(uint16_t port, Millis timeout = Millis(5000));
  // nullptr with *error set instead of throwing.
  static std::unique_ptr<Client> try_connect(uint16_t port, Millis timeout, int* error = nullptr);

  // False when the peer closed or reset, or the send timed out.
  bool send(std::string_view bytes, Millis timeout = Millis(10000));
  Response read_response(const ReadOptions& options = {});
  Response request(std::string_view raw, const ReadOptions& options = {});
  // "GET target HTTP/1.1" with Host: localhost and `headers`.
  Response get(std::string_view target, const Headers& headers = {},
               const ReadOptions& options = {});
  UploadResult upload(const UploadOptions& options);

  struct CloseResult {
    std::string data;                   // bytes received before the end
    IoStatus end = IoStatus::kTimeout;  // kClosed (FIN), kReset or kTimeout
  };
  CloseResult read_until_close(Millis timeout);
  // True when the server closed or reset the connection within the timeout (any bytes
  // that arrive first are discarded).
  bool wait_closed(Millis timeout);
  // True while nothing arrives and the connection stays open for `quiet`.
  bool stays_open(Millis quiet);

  void shutdown_write();
  void close();
  void close_with_reset();
  int fd() const { return fd_.get(); }
  uint64_t bytes_sent() const { return sent_; }
  uint64_t bytes_received() const { return reader_->bytes_read(); }

 private:
  explicit Client(Fd fd);
  // With stop_at_interim, returns after the first 1xx (status 0, error empty, interim set).
  Response read_one(const ReadOptions& options, bool stop_at_interim = false);
  void read_body(Response& r, const ReadOptions& options);
  // Streams the pattern body of an upload; false when it stopped early (result filled).
  bool send_upload_body(const UploadOptions& o, UploadResult& result);

  Fd fd_;
  std::unique_ptr<StreamReader> reader_;
  uint64_t sent_ = 0;
};

// One request on a fresh connection, then the connection is closed.
Response simple_get(uint16_t port, std::string_view target, const Headers& headers = {},
                    const ReadOptions& options = {});

std::string build_request(std::string_view method, std::string_view target, const Headers& headers,
                          std::string_view body = {}, std::string_view host = "localhost");

}  // namespace tern::test
