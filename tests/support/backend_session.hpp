// One connection of the test Backend: reads requests in a loop (keep-alive, pipelining),
// records them and answers with the behaviour named by the path (see backend.hpp).
//
// Thread affinity: runs on the connection's own thread. Ownership: created on that
// thread's stack; borrows the Backend and the socket (the Backend owns both).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "tests/support/backend.hpp"
#include "tests/support/stream_reader.hpp"

namespace tern::test {

class BackendSession {
 public:
  BackendSession(Backend& backend, uint64_t id, int fd);
  void run();

 private:
  struct Reply {
    int status = 200;
    Headers headers;
    std::string body;
    bool close = false;
    bool no_length = false;  // 204/304/1xx: no Content-Length from us
  };

  static Reply make_reply(int status, std::string body, Headers headers = {}, bool close = false,
                          bool no_length = false);

  // Returns false when the connection must end.
  bool serve_one();
  bool read_body(RecordedRequest& req, size_t index);
  bool respond(const RecordedRequest& req);
  // Each returns nullopt when `path` is not theirs, else whether the connection goes on.
  std::optional<bool> respond_with_content(const RecordedRequest& req, const std::string& path,
                                           const std::string& query);
  std::optional<bool> respond_with_failure(const RecordedRequest& req, const std::string& path,
                                           const std::string& query);
  bool send(const std::string& bytes);
  bool send(const char* data, size_t size);
  bool send_bad(const std::string& kind);
  bool send_reply(const RecordedRequest& req, Reply reply);
  std::string head_of(const RecordedRequest& req, int status, const Headers& headers,
                      bool close) const;
  bool stream_bytes(const RecordedRequest& req, uint64_t size, uint64_t stall_after);
  bool stream_chunked(const RecordedRequest& req, uint64_t size, const std::string& query);
  bool wants_close(const RecordedRequest& req) const;
  std::string echo_body(const RecordedRequest& req) const;

  Backend& backend_;
  uint64_t id_;
  int fd_;
  StreamReader reader_;
  bool close_after_ = false;
  bool reset_ = false;
  bool drop_next_ = false;  // armed by /drop-next
};

}  // namespace tern::test
