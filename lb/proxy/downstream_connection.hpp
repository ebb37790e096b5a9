// One client connection: reads request heads, rejects what must be rejected, hands each
// request to an Exchange (forwarding), answers in order (pipelining is sequential), keeps
// the connection alive when HTTP allows, and enforces the listener's timeouts through its
// entry in the worker's DeadlineQueue (one timer per worker, not per connection).
// Between requests no coroutine runs: an idle connection is the socket's readiness wait
// and its deadline entry, which keeps it small.
//
// Thread affinity: the worker that accepted it; never leaves it. Ownership: shared_ptr
// held by its pending handlers (readiness wait, serve coroutine); registered in
// WorkerContext::connections for draining and in WorkerContext::deadlines (raw pointer,
// removed by close() and the destructor).
//
// Size matters here: an idle keep-alive connection is this object (in its shared_ptr
// control block), the socket's reactor state and one pending readiness wait. What only a
// request in progress needs lives in the pooled StreamState (s_), what the listener knows
// is read through listener_.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <tuple>

#include "lb/core/finish_reason.hpp"
#include "lb/http/parser.hpp"
#include "lb/net/buffer.hpp"
#include "lb/net/deadline_queue.hpp"
#include "lb/net/executor.hpp"
#include "lb/proxy/request_routing.hpp"
#include "lb/proxy/stream_state.hpp"
#include "lb/proxy/worker_context.hpp"
#include "lb/upstream/upstream_connection.hpp"

namespace tern::proxy {

class Exchange;

class DownstreamConnection : public std::enable_shared_from_this<DownstreamConnection>,
                             public ConnectionHook,
                             private net::DeadlineQueue::Entry {
 public:
  using Clock = std::chrono::steady_clock;

  DownstreamConnection(WorkerContext& ctx, net::TcpSocket socket,
                       std::shared_ptr<const Snapshot> snapshot, const ListenerRuntime& listener);
  ~DownstreamConnection();
  DownstreamConnection(const DownstreamConnection&) = delete;
  DownstreamConnection& operator=(const DownstreamConnection&) = delete;

  void start();

  // Shutdown: an idle connection closes now; a busy one closes after its response.
  void drain();

  // Shutdown timeout: closes the client and upstream sockets now.
  void abort();

  // Identity of the listener that accepted it (bind key).
  const std::string& listener_key() const { return listener_->bind_key; }

 private:
  friend class Exchange;

  enum class HeadResult { kComplete, kClosed, kRejected };
  enum class Next { kIdle, kClose };  // what serve() leaves the connection to do
  enum class ReadResult { kData, kWouldBlock, kClosed };

  // Serves requests while bytes keep coming; returns when the connection goes idle (then
  // after_serve() waits for readiness with no coroutine frame held) or must close.
  net::Task<Next> serve();
  void run_serve();
  void after_serve(Next next);
  net::Task<void> linger_close();
  net::Task<HeadResult> read_head();
  ReadResult read_available();
  net::Task<bool> handle_stream();
  void compose_local_answer(const RequestRouting::Decision& decision);
  net::Task<bool> send_local_answer();
  bool buffered_request_complete(size_t& request_bytes);
  net::Task<void> send_local_reply(core::FinishReason reason);
  net::Task<void> reject(core::FinishReason reason);
  core::FinishReason check_request() const;
  core::FinishReason reason_for(http::ParseError error) const;
  void refresh_snapshot();
  void finish(core::FinishReason reason);

  // Deadline of the current phase; the worker's DeadlineQueue calls on_deadline() when it
  // passes, which cancels the sockets.
  void set_deadline(std::chrono::milliseconds d);
  void on_deadline() override;
  void close();

  WorkerContext& ctx_;
  net::TcpSocket socket_;
  std::shared_ptr<const Snapshot> snapshot_;  // keeps listener_ alive
  const ListenerRuntime* listener_;           // its state counts this connection

  // Per-request state (buffer, parser, heads, routing, upstream connection); held only
  // while a request is in progress, from ctx_.streams.
  std::unique_ptr<StreamState> s_;
  router::IpAddress peer_;   // the TCP peer, as source_ip conditions see it
  uint32_t peer_scope_ = 0;  // its IPv6 scope id, for X-Forwarded-For

  bool timed_out_ = false;
  bool idle_ = false;     // waiting for the first byte of a request
  bool closing_ = false;  // close after the current response
  bool closed_ = false;
  bool linger_ = false;  // drain unread client bytes before closing
};

}  // namespace tern::proxy
