#include "lb/proxy/downstream_connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/write.hpp>
#include <cstring>
#include <tuple>

#include "lb/core/log.hpp"
#include "lb/http/hop_by_hop.hpp"
#include "lb/http/request_target.hpp"
#include "lb/http/response_encoder.hpp"
#include "lb/net/exact_allocator.hpp"
#include "lb/proxy/exchange.hpp"

namespace tern::proxy {

namespace asio = boost::asio;
using core::FinishReason;
using net::kNoThrow;

namespace {

// Reads use all the free space of the buffer (a pool block), but at least this much.
constexpr size_t kReadChunk = 4096;
// Bound on writing a local reply to a client that does not read.
constexpr std::chrono::milliseconds kReplyTimeout{5000};
constexpr std::chrono::milliseconds kLingerTime{2000};
constexpr size_t kLingerBytes = 1024 * 1024;

asio::ip::address remote_address(const net::TcpSocket& s) {
  boost::system::error_code ec;
  auto ep = s.remote_endpoint(ec);
  return ec ? asio::ip::address(asio::ip::address_v4::any()) : ep.address();
}

// The TCP peer as the source_ip condition sees it (never X-Forwarded-For).
router::IpAddress peer_address(const asio::ip::address& a) {
  if (a.is_v4()) return router::IpAddress::v4(a.to_v4().to_bytes());
  return router::IpAddress::v6(a.to_v6().to_bytes());
}

uint32_t peer_scope(const asio::ip::address& a) {
  return a.is_v6() ? static_cast<uint32_t>(a.to_v6().scope_id()) : 0;
}

// The client address as X-Forwarded-For carries it (v4-mapped IPv6 shown as IPv4).
std::string peer_ip(const router::IpAddress& peer, uint32_t scope) {
  asio::ip::address_v6 a(peer.bytes, scope);
  if (a.is_v4_mapped()) return asio::ip::make_address_v4(asio::ip::v4_mapped, a).to_string();
  return a.to_string();
}

}  // namespace

DownstreamConnection::DownstreamConnection(WorkerContext& ctx, net::TcpSocket socket,
                                           std::shared_ptr<const Snapshot> snapshot,
                                           const ListenerRuntime& listener)
    : ctx_(ctx), socket_(std::move(socket)), snapshot_(std::move(snapshot)), listener_(&listener) {
  ctx_.connections.push_back(*this);
  const asio::ip::address remote = remote_address(socket_);
  peer_ = peer_address(remote);
  peer_scope_ = peer_scope(remote);
}

DownstreamConnection::~DownstreamConnection() {
  ctx_.deadlines.remove(*this);
  if (s_) {
    if (s_->upstream) {
      boost::system::error_code ignored;
      s_->upstream->socket.close(ignored);
      s_->upstream->busy_hook.unlink();
    }
    ctx_.streams.give(std::move(s_));
  }
  ctx_.connections.erase(ctx_.connections.iterator_to(*this));
  listener_->state->open_connections.fetch_sub(1, std::memory_order_relaxed);
}

void DownstreamConnection::start() {
  boost::system::error_code ignored;
  socket_.non_blocking(true, ignored);  // reads are tried synchronously before waiting
  run_serve();
}

void DownstreamConnection::run_serve() {
  asio::co_spawn(ctx_.io.get_executor(), serve(),
                 [self = shared_from_this()](std::exception_ptr e, Next next) {
                   core::log_task_failure("connection task", e);
                   if (e) next = Next::kClose;
                   self->after_serve(next);
                 });
}

void DownstreamConnection::after_serve(Next next) {
  if (next == Next::kClose || closed_ || closing_) {
    close();
    return;
  }
  // Idle keep-alive: no coroutine, no buffer, no parser state is held while waiting; just
  // a readiness wait and the timer. This is what makes an idle connection cheap.
  idle_ = true;
  ctx_.streams.give(std::move(s_));
  set_deadline(listener_->idle_timeout);
  // The wait operation is allocated at its exact size, not from Asio's recycling cache
  // (net::ExactAllocator says why): it is held for as long as the connection stays idle.
  socket_.async_wait(
      asio::socket_base::wait_read,
      asio::bind_allocator(net::ExactAllocator<void>(),
                           [self = shared_from_this()](const boost::system::error_code& ec) {
                             self->idle_ = false;
                             if (ec || self->closed_ || self->closing_) {
                               self->close();
                               return;
                             }
                             self->run_serve();
                           }));
}

void DownstreamConnection::drain() {
  closing_ = true;
  if (idle_) {
    boost::system::error_code ignored;
    socket_.cancel(ignored);
  }
}

void DownstreamConnection::abort() {
  closing_ = true;
  if (s_ && s_->upstream) {
    boost::system::error_code ignored;
    s_->upstream->socket.close(ignored);
  }
  close();
}

void DownstreamConnection::close() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  ctx_.deadlines.remove(*this);
}

void DownstreamConnection::set_deadline(std::chrono::milliseconds d) {
  if (closed_) return;  // a closed connection leaves the queue for good
  ctx_.deadlines.set(*this, Clock::now() + d);
}

void DownstreamConnection::on_deadline() {
  timed_out_ = true;
  boost::system::error_code ignored;
  socket_.cancel(ignored);
  if (s_ && s_->upstream) s_->upstream->socket.cancel(ignored);
}

void DownstreamConnection::refresh_snapshot() {
  // Compare pointers, not atomics: the worker swaps ctx_.snapshot between events, so a
  // new rule set applies to every request that starts after a reload.
  if (ctx_.snapshot.get() == snapshot_.get() || !ctx_.snapshot) return;
  const ListenerRuntime* l = ctx_.snapshot->find_listener(listener_->bind_key);
  if (l == nullptr) {
    closing_ = true;  // listener removed: finish this request under the old rules, then close
    return;
  }
  if (l->state != listener_->state) {
    // The listener was removed and added again meanwhile: count this connection in the
    // new incarnation's state from now on (the old one lives on in the old snapshot).
    listener_->state->open_connections.fetch_sub(1, std::memory_order_relaxed);
    l->state->open_connections.fetch_add(1, std::memory_order_relaxed);
  }
  snapshot_ = ctx_.snapshot;
  listener_ = l;
}

net::Task<DownstreamConnection::Next> DownstreamConnection::serve() {
  while (!closed_) {
    if (!s_ || s_->in.size() == 0) {
      refresh_snapshot();  // a listener removed by a reload closes its idle connections
      if (closing_) break;
      // Between requests: take what has arrived without waiting; with nothing there the
      // coroutine ends and the connection waits idle (after_serve).
      ReadResult got = read_available();
      if (got == ReadResult::kWouldBlock) co_return Next::kIdle;
      if (got == ReadResult::kClosed) break;
    }
    HeadResult head = co_await read_head();
    if (head != HeadResult::kComplete) break;
    if (!co_await handle_stream()) break;
  }
  if (linger_ && !closed_) co_await linger_close();
  co_return Next::kClose;
}

net::Task<void> DownstreamConnection::linger_close() {
  // After a rejection the client may still be sending the rest of its request. Closing
  // with unread bytes makes the kernel send a reset, which can destroy our reply before
  // the client reads it; so read and drop for a short while first (nginx's lingering
  // close), bounded in time and bytes.
  boost::system::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  timed_out_ = false;
  set_deadline(kLingerTime);
  size_t dropped = 0;
  while (dropped < kLingerBytes && !timed_out_) {
    s_->in.clear();
    auto [ec, n] = co_await socket_.async_read_some(s_->in.prepare_buffer(kReadChunk), kNoThrow);
    if (ec || n == 0) break;
    dropped += n;
  }
}

net::Task<DownstreamConnection::HeadResult> DownstreamConnection::read_head() {
  // The first bytes of the request are in s_->in: it gets the limits of the snapshot current
  // now (also after a reload while the connection sat idle) and header_timeout from now.
  refresh_snapshot();
  s_->parser.start();
  s_->parser.set_limits(listener_->limits);
  size_t parsed = 0;
  timed_out_ = false;
  set_deadline(listener_->header_timeout);
  for (;;) {
    if (parsed < s_->in.size()) {
      auto r = s_->parser.feed(s_->in.data(), parsed, s_->in.size());
      if (r.event == http::Parser::Event::kError) {
        co_await reject(reason_for(s_->parser.error()));
        co_return HeadResult::kRejected;
      }
      parsed += r.consumed;
      if (r.event == http::Parser::Event::kHeadComplete) co_return HeadResult::kComplete;
    }
    auto [ec, n] = co_await socket_.async_read_some(s_->in.prepare_buffer(kReadChunk), kNoThrow);
    if (ec || n == 0) {
      // A client that sent part of a head and then stalled gets 408 (header_timeout); one
      // that went away gets nothing.
      if (timed_out_) {
        co_await reject(FinishReason::kRequestHeaderTimeout);
        co_return HeadResult::kRejected;
      }
      co_return HeadResult::kClosed;
    }
    s_->in.commit(n);
  }
}

DownstreamConnection::ReadResult DownstreamConnection::read_available() {
  // Read into the worker's scratch and size the connection's own buffer (a pool block) to
  // what arrived, so a connection only holds a buffer while a request is in progress.
  boost::system::error_code ec;
  size_t n = socket_.read_some(asio::buffer(ctx_.scratch), ec);
  if (ec == asio::error::would_block) return ReadResult::kWouldBlock;
  if (ec || n == 0) return ReadResult::kClosed;
  if (!s_) {
    // A request begins: take the per-request state (the connection held none while idle).
    s_ = ctx_.streams.take();
    s_->routing.set_peer(peer_);
    if (s_->client_ip.empty() || s_->client_ip_of != peer_ || s_->client_scope_of != peer_scope_) {
      // Formatted once per peer address, not per request (StreamStates are reused).
      s_->client_ip = peer_ip(peer_, peer_scope_);
      s_->client_ip_of = peer_;
      s_->client_scope_of = peer_scope_;
    }
  }
  std::memcpy(s_->in.prepare(n), ctx_.scratch.data(), n);
  s_->in.commit(n);
  // A request begins: borrow the storage handed back when the connection went idle.
  return ReadResult::kData;
}

FinishReason DownstreamConnection::reason_for(http::ParseError error) const {
  switch (error) {
    case http::ParseError::kUriTooLong:
      return FinishReason::kUriTooLong;
    case http::ParseError::kHeadersTooLarge:
      return FinishReason::kHeadersTooLarge;
    case http::ParseError::kBadVersion:
      return FinishReason::kVersionNotSupported;
    case http::ParseError::kBadTransferCoding:
      return FinishReason::kNotImplemented;
    case http::ParseError::kBodyTooLarge:
      return FinishReason::kBodyTooLarge;
    default:
      return FinishReason::kBadRequest;
  }
}

FinishReason DownstreamConnection::check_request() const {
  const http::MessageHead& h = s_->parser.head();
  const char* b = s_->in.data();
  if (h.method == HTTP_TRACE || h.method == HTTP_CONNECT) return FinishReason::kMethodNotAllowed;
  // RFC 9112 §3.2: origin-form, absolute-form, or "*" for OPTIONS only.
  http::RequestTarget target = http::parse_request_target(h.target.view(b));
  if (target.form == http::RequestTarget::Form::kInvalid) return FinishReason::kBadRequest;
  if (target.form == http::RequestTarget::Form::kAsterisk && h.method != HTTP_OPTIONS) {
    return FinishReason::kBadRequest;
  }
  // RFC 9112 §3.2: a Host with an invalid value is a 400 (the parser checked its count).
  if (!http::is_valid_host(http::find_header(h, b, "host"))) return FinishReason::kBadRequest;
  if (h.upgrade) {
    // tern does not tunnel yet: a WebSocket (or any protocol switch that needs the
    // connection) is refused; "h2c" alone is an optional offer we can just decline by
    // not forwarding it (RFC 9110 §7.8).
    bool only_h2c = true;
    for (const auto& f : h.headers) {
      if (!http::iequals(f.name.view(b), "upgrade")) continue;
      http::for_each_token(f.value.view(b), [&](std::string_view t) {
        if (!http::iequals(t, "h2c")) only_h2c = false;
      });
    }
    if (!only_h2c) return FinishReason::kNotImplemented;
  }
  return FinishReason::kOk;
}

net::Task<bool> DownstreamConnection::handle_stream() {
  // The request is routed under the snapshot current when its head completed, even when
  // a reload happened while the connection sat idle (spec: "Matching, exactly").
  refresh_snapshot();
  FinishReason pre = check_request();
  if (pre != FinishReason::kOk) {
    co_await reject(pre);
    co_return false;
  }
  const RequestRouting::Decision decision = s_->routing.route(
      *snapshot_, *listener_, s_->parser.head(), s_->in.data(), ctx_.id, ctx_.routing);
  if (decision.kind == RequestRouting::Decision::Kind::kReject) {
    co_await reject(decision.reason);
    co_return false;
  }
  if (decision.kind == RequestRouting::Decision::Kind::kLocal) {
    // Composed before anything suspends: the request as routed lives in the worker's
    // scratch, which the next stream routed on this worker overwrites.
    compose_local_answer(decision);
    co_return co_await send_local_answer();
  }
  Exchange exchange(*this);
  Exchange::Result result = co_await exchange.run(*decision.group, s_->routing.forward());
  finish(result.reason);
  if (!result.response_sent) {
    // Nothing reached the client yet: tern answers with the reason's status.
    closing_ = closing_ || !result.client_reusable;
    co_await send_local_reply(result.reason);
    co_return !closing_ && !closed_;
  }
  co_return result.client_reusable && !closing_ && !closed_;
}

bool DownstreamConnection::buffered_request_complete(size_t& request_bytes) {
  // The body bytes that came with the head are parsed (not forwarded anywhere): when the
  // whole request is in the buffer, the connection can carry the next one.
  const size_t head_bytes = s_->parser.head().head_bytes;
  auto r = s_->parser.feed(s_->in.data(), head_bytes, s_->in.size());
  request_bytes = head_bytes + r.consumed;
  return r.event != http::Parser::Event::kError && s_->parser.message_done();
}

void DownstreamConnection::compose_local_answer(const RequestRouting::Decision& decision) {
  // A redirect, a fixed response or a failed rewrite: tern answers without a target. The
  // connection stays open when the request was read completely (a body that has not all
  // arrived yet is not waited for: the reply says Connection: close, RFC 9112 §9.6).
  size_t request_bytes = 0;
  const bool complete = buffered_request_complete(request_bytes);
  const http::MessageHead& h = s_->parser.head();
  closing_ = closing_ || !complete || !h.keep_alive || ctx_.draining;
  const LocalFraming framing{closing_, h.version_minor == 0, h.method == HTTP_HEAD};
  const FinishReason reason =
      encode_action_reply(decision.reason, *decision.route, ctx_.routing.request, ctx_.date.now(),
                          framing, ctx_.routing.local, s_->out);
  if (reason == FinishReason::kBadRequest) closing_ = true;
  finish(reason);
  if (complete) s_->in.consume(request_bytes);  // the request views end here
}

net::Task<bool> DownstreamConnection::send_local_answer() {
  timed_out_ = false;
  set_deadline(kReplyTimeout);
  auto [ec, n] = co_await asio::async_write(socket_, asio::buffer(s_->out), kNoThrow);
  (void)n;
  if (ec) closing_ = true;
  if (closing_) linger_ = true;  // RFC 9112 §9.6, as for every closing reply
  co_return !closing_ && !closed_;
}

void DownstreamConnection::finish(FinishReason reason) {
  ctx_.stats.count(reason);
}

net::Task<void> DownstreamConnection::send_local_reply(FinishReason reason) {
  // 460 (client went away) is logged only; there is nobody to answer.
  if (core::status_for(reason) != 460) {
    http::encode_local_reply(core::status_for(reason), ctx_.date.now(), closing_, s_->out);
    timed_out_ = false;
    set_deadline(kReplyTimeout);
    auto [ec, n] = co_await asio::async_write(socket_, asio::buffer(s_->out), kNoThrow);
    (void)n;
    if (ec) closing_ = true;
  }
  // A closing reply is followed by a lingering close (serve()), RFC 9112 §9.6.
  if (closing_) linger_ = true;
}

net::Task<void> DownstreamConnection::reject(FinishReason reason) {
  // A request tern refuses leaves the connection in an unknown framing state: close it.
  finish(reason);
  closing_ = true;
  co_await send_local_reply(reason);
}

}  // namespace tern::proxy
