// One stream forwarded to a target: pick a target, take a pooled connection or connect
// (10 s), send the rewritten head and the body with backpressure, read the response head
// (idle timeout), relay the body with the right framing, and return the upstream
// connection to the pool when it is clean. A pooled connection found dead before any
// response byte is replaced by a fresh one once, for requests that can be replayed.
// Connect failures move to another target (up to three); a reset before any answer is
// retried once on another target when replaying is safe; retries draw on the group's
// per-worker retry budget. Connect failures and resets are reported to passive health.
//
// Thread affinity: the connection's worker. Ownership: lives on the stack of one
// DownstreamConnection::handle_stream() call and borrows the connection's state.
#pragma once

#include <array>
#include <boost/asio/buffer.hpp>
#include <memory>

#include "lb/core/finish_reason.hpp"
#include "lb/net/executor.hpp"
#include "lb/proxy/request_routing.hpp"
#include "lb/proxy/stream_state.hpp"
#include "lb/upstream/target_group.hpp"

namespace tern::proxy {

class DownstreamConnection;

class Exchange {
 public:
  struct Result {
    core::FinishReason reason = core::FinishReason::kOk;
    bool response_sent = false;    // bytes of a response went to the client
    bool client_reusable = false;  // the client connection may carry another request
  };

  explicit Exchange(DownstreamConnection& conn) : c_(conn) {}

  // Forwards the request to a target of `group`: `sent` says which request-target and
  // Host to send and what to add to the response (views valid for the whole run).
  net::Task<Result> run(upstream::TargetGroup& group, const ForwardTarget& sent);

 private:
  using Reason = core::FinishReason;

  bool capture_request();
  // Whether the attempt that ended with `reason` may be sent to another target.
  bool retry_elsewhere(core::FinishReason reason);
  // Passive health: a connect failure or a reset before any response byte counts against
  // the target; an answer clears its count.
  void note_outcome(const std::shared_ptr<upstream::Target>& target, core::FinishReason reason);
  // The target a valid stickiness cookie of the request names, if it is routable.
  const std::shared_ptr<upstream::Target>* sticky_target();
  // Set-Cookie lines naming served_by_ (AWSALB[+CORS], or AWSALBAPP-0 when the target set
  // the application's cookie in `response`).
  void append_sticky_cookie(const http::MessageHead& response, const char* base,
                            std::string& out) const;
  net::Task<Reason> forward(const std::shared_ptr<upstream::Target>& target);
  net::Task<Reason> connect(const std::shared_ptr<upstream::Target>& target);
  net::Task<Reason> send_head_and_body();
  net::Task<Reason> pump_request_body();
  net::Task<Reason> read_response_head();
  net::Task<Reason> relay_interim();
  net::Task<Reason> relay_response();
  // Response head and/or body bytes for the client: [from, from+consumed) of the upstream
  // buffer as is, or its decoded pieces for HTTP/1.0 clients.
  using BodyBuffers = StreamState::BodyBuffers;
  size_t client_body_buffers(size_t from, size_t consumed, bool with_head, BodyBuffers& bufs) const;
  net::Task<Reason> write_client(const BodyBuffers& bufs, size_t count);
  void release_upstream(bool reusable);

  DownstreamConnection& c_;
  ForwardTarget forward_;
  upstream::TargetGroup* group_ = nullptr;
  // The member list the current target was picked from: the target pointers stay valid
  // while the worker installs newer lists (worker-local count, no atomic).
  upstream::MembersPtr members_;
  const upstream::Target* served_by_ = nullptr;  // the target of the last attempt

  // Facts about the request, captured before its head bytes are consumed.
  bool head_method_ = false;
  bool client_http10_ = false;
  bool client_keep_alive_ = true;
  bool expect_continue_ = false;
  bool idempotent_ = false;
  bool bodyless_ = false;  // no Content-Length (or 0) and not chunked
  size_t head_bytes_ = 0;
  size_t first_body_ = 0;          // raw body bytes sent together with the head
  bool request_complete_ = false;  // every byte of the request has been read
  bool body_consumed_ = false;     // the request bytes were dropped from the buffer
  bool upstream_write_failed_ = false;
  bool nothing_accepted_ = false;  // the head write failed before the target took a byte
  bool continue_sent_ = false;     // 100 Continue went to the client
  bool resent_ = false;            // the request was already sent again after a reset

  // The response.
  bool response_started_ = false;
  bool response_byte_seen_ = false;
  bool reused_ = false;
  bool dechunk_ = false;
  bool close_client_ = false;
};

}  // namespace tern::proxy
