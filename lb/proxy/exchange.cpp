#include "lb/proxy/exchange.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <ctime>
#include <span>
#include <tuple>

#include "lb/http/request_encoder.hpp"
#include "lb/http/response_encoder.hpp"
#include "lb/proxy/downstream_connection.hpp"
#include "lb/router/actions.hpp"
#include "lb/upstream/sticky_cookie.hpp"

namespace tern::proxy {

namespace asio = boost::asio;
using core::FinishReason;
using net::kNoThrow;

namespace {

// Reads use all the free space of the buffer (a pool block), but at least this much.
constexpr size_t kReadChunk = 4096;
constexpr std::chrono::milliseconds kConnectTimeout{10000};  // ALB's target connect timeout
constexpr size_t kMaxTries = 3;                              // targets tried for one request
constexpr std::string_view k100Continue = "HTTP/1.1 100 Continue\r\n\r\n";

// Upstream responses get generous fixed limits; beyond them the response is invalid (502).
constexpr http::ParserLimits kResponseLimits{16 * 1024, 64 * 1024, 0};

bool is_idempotent(uint8_t method) {
  // RFC 9110 §9.2.2.
  return method == HTTP_GET || method == HTTP_HEAD || method == HTTP_OPTIONS ||
         method == HTTP_PUT || method == HTTP_DELETE;
}

}  // namespace

net::Task<Exchange::Result> Exchange::run(upstream::TargetGroup& group, const ForwardTarget& sent) {
  forward_ = sent;
  Result result;
  if (!capture_request()) {
    result.reason = FinishReason::kTooManyForwardedFor;
    co_return result;
  }
  // Parse whatever of the body already arrived with the head: a malformed chunk or an
  // oversized body is rejected before anything reaches a target.
  auto& parser = c_.s_->parser;
  auto r = parser.feed(c_.s_->in.data(), head_bytes_, c_.s_->in.size());
  if (r.event == http::Parser::Event::kError) {
    result.reason = c_.reason_for(parser.error());
    co_return result;
  }
  first_body_ = r.consumed;
  request_complete_ = parser.message_done();

  // Retries, each on a target not tried yet and within the group's retry budget: a
  // connect that failed sent nothing (up to kMaxTries targets); a request the target
  // reset before answering is sent again once when that is safe (retry_elsewhere()).
  group_ = &group;
  const int worker = c_.ctx_.id;
  group.count_request(worker);
  Reason reason = Reason::kNoHealthyTarget;
  std::array<const upstream::Target*, kMaxTries> tried{};
  const std::shared_ptr<upstream::Target>* target = sticky_target();
  for (size_t i = 0; i < kMaxTries; ++i) {
    if (i > 0) {
      // A request sent again is load again: it draws on the budget. A connect that
      // failed put no load anywhere and moves on freely (up to kMaxTries targets).
      if (reason != Reason::kUpstreamConnectFailure && !group.take_retry(worker)) {
        ++c_.ctx_.stats.retries_refused;
        break;
      }
      ++c_.ctx_.stats.retries;
    }
    if (i > 0 || target == nullptr) {
      target =
          group.pick(worker, std::span<const upstream::Target* const>(tried.data(), i), &members_);
    }
    if (target == nullptr) break;
    tried[i] = target->get();
    served_by_ = target->get();
    reason = co_await forward(*target);
    note_outcome(*target, reason);
    if (!retry_elsewhere(reason)) break;
  }

  release_upstream(false);  // still held only when the exchange failed midway
  result.reason = reason;
  result.response_sent = response_started_;
  result.client_reusable = request_complete_ && !close_client_ && !upstream_write_failed_;
  if (!body_consumed_) c_.s_->in.consume(head_bytes_ + first_body_);
  co_return result;
}

bool Exchange::capture_request() {
  const http::MessageHead& h = c_.s_->parser.head();
  const char* b = c_.s_->in.data();
  head_method_ = h.method == HTTP_HEAD;
  client_http10_ = h.version_minor == 0;
  client_keep_alive_ = h.keep_alive;
  idempotent_ = is_idempotent(h.method);
  bodyless_ = !h.chunked && (!h.has_content_length || h.content_length == 0);
  head_bytes_ = h.head_bytes;
  bool found = false;
  std::string_view expect = http::find_header(h, b, "expect", &found);
  expect_continue_ = found && http::iequals(expect, "100-continue");

  char trace[41];
  std::string_view new_trace = c_.ctx_.trace.next(std::time(nullptr), trace);
  http::ForwardInfo info;
  info.client_ip = c_.s_->client_ip;
  info.proto = "http";
  info.listener_port = c_.listener_->port;
  info.xff = c_.listener_->xff;
  info.new_trace_id = new_trace;
  // The normalized (or rewritten) target, always origin-form (RFC 9112 §3.2.1): the target
  // sees the path the rules saw.
  info.target = forward_.target;
  info.host_override = forward_.host_override;
  return http::encode_request_head(h, b, info, c_.s_->upstream_head) == http::EncodeStatus::kOk;
}

const std::shared_ptr<upstream::Target>* Exchange::sticky_target() {
  const upstream::GroupSettings& settings = group_->settings();
  if (settings.sticky == upstream::StickyKind::kNone) return nullptr;
  const std::string_view name = settings.sticky == upstream::StickyKind::kLbCookie
                                    ? upstream::kLbCookie
                                    : upstream::kAppCookie;
  const http::MessageHead& h = c_.s_->parser.head();
  const char* base = c_.s_->in.data();
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  for (const http::HeaderField& field : h.headers) {
    if (!http::iequals(field.name.view(base), "cookie")) continue;
    auto value = router::find_cookie(field.value.view(base), name);
    if (!value) continue;
    // A cookie naming a target that is gone, unhealthy or not ours is ignored: the request
    // is balanced and the response carries a new cookie.
    if (auto endpoint =
            upstream::read_sticky_value(c_.ctx_.sticky_key, group_->name(), *value, now)) {
      if (const auto* t = group_->find_routable(c_.ctx_.id, *endpoint, &members_)) return t;
    }
  }
  return nullptr;
}

void Exchange::append_sticky_cookie(const http::MessageHead& response, const char* base,
                                    std::string& out) const {
  const upstream::GroupSettings& settings = group_->settings();
  if (settings.sticky == upstream::StickyKind::kAppCookie) {
    // AWSALBAPP follows the application's cookie: set when the target sets its own.
    bool sets = false;
    for (const http::HeaderField& field : response.headers) {
      if (sets) break;
      if (!http::iequals(field.name.view(base), "set-cookie")) continue;
      std::string_view v = field.value.view(base);
      sets = v.size() > settings.app_cookie_name.size() &&
             v.substr(0, settings.app_cookie_name.size()) == settings.app_cookie_name &&
             v[settings.app_cookie_name.size()] == '=';
    }
    if (!sets) return;
  }
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  const bool lb = settings.sticky == upstream::StickyKind::kLbCookie;
  out.append("Set-Cookie: ");
  out.append(lb ? upstream::kLbCookie : upstream::kAppCookie);
  out.push_back('=');
  const size_t value_at = out.size();
  upstream::append_sticky_value(c_.ctx_.sticky_key, group_->name(), served_by_->endpoint,
                                now + settings.sticky_duration.count(), out);
  const size_t value_len = out.size() - value_at;
  router::append_cookie_attributes(settings.sticky_duration, false, out);
  out.append("\r\n");
  if (lb && c_.listener_->https) {
    // ALB's CORS twin: the same value, for cross-site requests.
    out.append("Set-Cookie: ");
    out.append(upstream::kLbCorsCookie);
    out.push_back('=');
    out.append(out, value_at, value_len);
    router::append_cookie_attributes(settings.sticky_duration, true, out);
    out.append("\r\n");
  }
}

bool Exchange::retry_elsewhere(Reason reason) {
  if (reason == Reason::kUpstreamConnectFailure) return true;  // nothing was sent
  if (reason != Reason::kUpstreamReset || response_byte_seen_ || response_started_) return false;
  // The target took the request and closed or reset without a byte of answer. Sending it
  // again is safe when the target accepted none of it, or when it is idempotent and
  // complete in our buffer without a body (RFC 9110 §9.2.2); once per request.
  const bool safe = nothing_accepted_ || (idempotent_ && bodyless_ && request_complete_);
  if (!safe || resent_) return false;
  resent_ = true;
  return true;
}

void Exchange::note_outcome(const std::shared_ptr<upstream::Target>& target, Reason reason) {
  upstream::Target& t = *target;
  const bool failed = !response_byte_seen_ && (reason == Reason::kUpstreamConnectFailure ||
                                               reason == Reason::kUpstreamConnectTimeout ||
                                               reason == Reason::kUpstreamReset);
  if (!failed) {
    // Read first: healthy traffic never writes the shared line.
    if (response_byte_seen_ && t.consecutive_failures.load(std::memory_order_relaxed) != 0) {
      t.consecutive_failures.store(0, std::memory_order_relaxed);
    }
    return;
  }
  const uint32_t n = t.consecutive_failures.fetch_add(1, std::memory_order_relaxed) + 1;
  const uint32_t threshold = group_->settings().eject_after;
  // One report per `threshold` failures in a row: a rare event for the control thread.
  if (threshold != 0 && n % threshold == 0 && c_.ctx_.on_target_failing) {
    c_.ctx_.on_target_failing(target, group_->name());
  }
}

net::Task<FinishReason> Exchange::forward(const std::shared_ptr<upstream::Target>& target) {
  response_byte_seen_ = false;
  upstream_write_failed_ = false;
  nothing_accepted_ = false;
  // Requests in flight per target, for least outstanding requests only (two atomic
  // operations on a line shared by the workers; the other algorithms do not pay them).
  struct InFlight {
    upstream::Target* t = nullptr;
    ~InFlight() {
      if (t) t->outstanding.fetch_sub(1, std::memory_order_relaxed);
    }
  } in_flight;
  if (group_->settings().algorithm == upstream::Algorithm::kLeastOutstandingRequests) {
    in_flight.t = target.get();
    in_flight.t->outstanding.fetch_add(1, std::memory_order_relaxed);
  }
  // Replaying is safe only when the whole request is still in our buffer, it is
  // idempotent, and the target never answered.
  bool replayable = request_complete_ && idempotent_;
  for (int attempt = 0; attempt < 2; ++attempt) {
    // A pooled connection needs no coroutine frame: only a connect suspends.
    c_.s_->upstream = attempt == 0 ? c_.ctx_.pool.take(target.get()) : nullptr;
    reused_ = c_.s_->upstream != nullptr;
    Reason reason = Reason::kOk;
    if (reused_) {
      ++c_.ctx_.stats.upstream_reuses;
      c_.ctx_.busy.push_back(*c_.s_->upstream);
    } else {
      reason = co_await connect(target);
    }
    if (reason != Reason::kOk) co_return reason;
    reason = co_await send_head_and_body();
    if (reason == Reason::kOk || upstream_write_failed_) {
      Reason head = co_await read_response_head();
      if (head == Reason::kOk) co_return co_await relay_response();
      reason = upstream_write_failed_ && reason != Reason::kOk ? reason : head;
    }
    bool stale = reused_ && !response_byte_seen_ && reason == Reason::kUpstreamReset;
    release_upstream(false);
    if (!(stale && (replayable || nothing_accepted_))) co_return reason;
    upstream_write_failed_ = false;
    nothing_accepted_ = false;
  }
  co_return Reason::kUpstreamReset;
}

net::Task<FinishReason> Exchange::connect(const std::shared_ptr<upstream::Target>& target) {
  WorkerContext& ctx = c_.ctx_;
  c_.s_->upstream = std::make_shared<upstream::UpstreamConnection>(net::TcpSocket(ctx.io), target);
  c_.s_->upstream->in.set_pool(&ctx.buffers);
  ctx.busy.push_back(*c_.s_->upstream);
  ++ctx.stats.upstream_connects;
  c_.timed_out_ = false;
  c_.set_deadline(kConnectTimeout);
  auto [ec] = co_await c_.s_->upstream->socket.async_connect(target->endpoint, kNoThrow);
  if (ec) {
    Reason reason =
        c_.timed_out_ ? Reason::kUpstreamConnectTimeout : Reason::kUpstreamConnectFailure;
    release_upstream(false);
    co_return reason;
  }
  boost::system::error_code ignored;
  c_.s_->upstream->socket.set_option(asio::ip::tcp::no_delay(true), ignored);
  co_return Reason::kOk;
}

net::Task<FinishReason> Exchange::send_head_and_body() {
  auto& up = *c_.s_->upstream;
  c_.timed_out_ = false;
  c_.set_deadline(c_.listener_->idle_timeout);
  if (expect_continue_ && !request_complete_ && first_body_ == 0 && !client_http10_ &&
      !continue_sent_) {
    // The client waits for our go-ahead before sending the body (RFC 9110 §10.1.1).
    continue_sent_ = true;
    auto [ec, n] = co_await asio::async_write(c_.socket_, asio::buffer(k100Continue), kNoThrow);
    if (ec) co_return c_.timed_out_ ? Reason::kDownstreamTimeout : Reason::kDownstreamReset;
  }
  std::array<asio::const_buffer, 2> first = {
      asio::buffer(c_.s_->upstream_head),
      asio::buffer(c_.s_->in.data() + head_bytes_, first_body_)};
  auto [ec, n] = co_await asio::async_write(up.socket, first, kNoThrow);
  if (ec) {
    upstream_write_failed_ = true;
    nothing_accepted_ = n == 0;
    co_return c_.timed_out_ ? Reason::kUpstreamTimeout : Reason::kUpstreamReset;
  }
  ++up.requests;
  if (request_complete_) co_return Reason::kOk;
  co_return co_await pump_request_body();
}

net::Task<FinishReason> Exchange::pump_request_body() {
  auto& up = *c_.s_->upstream;
  auto& in = c_.s_->in;
  in.consume(head_bytes_ + first_body_);
  body_consumed_ = true;
  while (!c_.s_->parser.message_done()) {
    if (in.size() == 0) {
      c_.set_deadline(c_.listener_->idle_timeout);
      auto [ec, n] = co_await c_.socket_.async_read_some(in.prepare_buffer(kReadChunk), kNoThrow);
      if (ec || n == 0) {
        close_client_ = true;
        co_return c_.timed_out_ ? Reason::kDownstreamTimeout : Reason::kDownstreamReset;
      }
      in.commit(n);
    }
    auto r = c_.s_->parser.feed(in.data(), 0, in.size());
    if (r.event == http::Parser::Event::kError) {
      close_client_ = true;
      co_return c_.reason_for(c_.s_->parser.error());
    }
    c_.set_deadline(c_.listener_->idle_timeout);
    auto [ec, n] =
        co_await asio::async_write(up.socket, asio::buffer(in.data(), r.consumed), kNoThrow);
    if (ec) {
      // The target stopped reading; it may have answered already (e.g. 413): the
      // response is read next and the client connection closed after it.
      upstream_write_failed_ = true;
      close_client_ = true;
      co_return c_.timed_out_ ? Reason::kUpstreamTimeout : Reason::kUpstreamReset;
    }
    in.consume(r.consumed);
  }
  request_complete_ = true;
  co_return Reason::kOk;
}

net::Task<FinishReason> Exchange::read_response_head() {
  auto& up = *c_.s_->upstream;
  up.parser.set_limits(kResponseLimits);
  up.parser.start(head_method_);
  up.in.clear();
  size_t parsed = 0;
  c_.timed_out_ = false;
  c_.set_deadline(c_.listener_->idle_timeout);
  for (;;) {
    if (parsed < up.in.size()) {
      auto r = up.parser.feed(up.in.data(), parsed, up.in.size());
      if (r.event == http::Parser::Event::kError) co_return Reason::kUpstreamBadResponse;
      parsed += r.consumed;
      if (r.event == http::Parser::Event::kHeadComplete) {
        int status = up.parser.head().status;
        if (status >= 200) co_return Reason::kOk;
        // tern never asks a target to switch protocols, so 101 is invalid here.
        if (status == 101) co_return Reason::kUpstreamBadResponse;
        if (Reason reason = co_await relay_interim(); reason != Reason::kOk) co_return reason;
        parsed = 0;
        continue;
      }
    }
    auto [ec, n] = co_await up.socket.async_read_some(up.in.prepare_buffer(kReadChunk), kNoThrow);
    if (ec || n == 0) {
      if (c_.timed_out_) co_return Reason::kUpstreamTimeout;
      co_return up.in.size() == 0 ? Reason::kUpstreamReset : Reason::kUpstreamBadResponse;
    }
    response_byte_seen_ = true;
    up.in.commit(n);
  }
}

net::Task<FinishReason> Exchange::relay_interim() {
  // A 1xx response (RFC 9110 §15.2): relayed to HTTP/1.1 clients, except 100 Continue,
  // which tern already handled itself; then the final response follows.
  auto& up = *c_.s_->upstream;
  const http::MessageHead& h = up.parser.head();
  if (h.status != 100 && !client_http10_) {
    http::encode_response_head(h, up.in.data(), {}, c_.s_->out);
    auto [ec, n] = co_await asio::async_write(c_.socket_, asio::buffer(c_.s_->out), kNoThrow);
    if (ec) co_return Reason::kDownstreamReset;
  }
  up.in.consume(h.head_bytes);
  up.parser.start(head_method_);
  co_return Reason::kOk;
}

net::Task<FinishReason> Exchange::relay_response() {
  auto& up = *c_.s_->upstream;
  size_t head = up.parser.head().head_bytes;
  auto r = up.parser.feed(up.in.data(), head, up.in.size());
  if (r.event == http::Parser::Event::kError) co_return Reason::kUpstreamBadResponse;
  const http::MessageHead& h = up.parser.head();
  dechunk_ = client_http10_ && h.chunked;
  bool until_close = up.parser.body_until_close();
  close_client_ = close_client_ || !client_keep_alive_ || c_.closing_ || c_.ctx_.draining ||
                  !request_complete_ || dechunk_ || until_close;
  std::string_view fields = forward_.response_fields;
  if (group_->settings().sticky != upstream::StickyKind::kNone) {
    std::string& all = c_.s_->response_fields;
    all.assign(fields);
    append_sticky_cookie(h, up.in.data(), all);
    fields = all;
  }
  http::encode_response_head(h, up.in.data(),
                             {close_client_, client_http10_ && !close_client_, dechunk_, fields},
                             c_.s_->out);
  // In the StreamState, not in this frame: a coroutine frame over ~1 KB never fits Asio's
  // recycling cache and would cost a malloc and a free per response.
  BodyBuffers& bufs = c_.s_->body_buffers;
  Reason reason = co_await write_client(bufs, client_body_buffers(head, r.consumed, true, bufs));
  if (reason != Reason::kOk) co_return reason;
  size_t pos = head + r.consumed;
  while (!up.parser.message_done()) {
    if (pos == up.in.size()) {
      up.in.clear();
      pos = 0;
      c_.set_deadline(c_.listener_->idle_timeout);
      auto [ec, n] = co_await up.socket.async_read_some(up.in.prepare_buffer(kReadChunk), kNoThrow);
      if (ec || n == 0) {
        if (!c_.timed_out_ && until_close &&
            up.parser.finish().event == http::Parser::Event::kMessageComplete) {
          break;
        }
        close_client_ = true;  // truncated: the client must see the connection end
        co_return c_.timed_out_ ? Reason::kUpstreamTimeout : Reason::kUpstreamReset;
      }
      up.in.commit(n);
    }
    r = up.parser.feed(up.in.data(), pos, up.in.size());
    if (r.event == http::Parser::Event::kError) {
      close_client_ = true;
      co_return Reason::kUpstreamBadResponse;
    }
    size_t count = client_body_buffers(pos, r.consumed, false, bufs);
    if (count > 0) {
      reason = co_await write_client(bufs, count);
      if (reason != Reason::kOk) co_return reason;
    }
    pos += r.consumed;
  }
  // Reusable only when the exchange ended exactly at the message boundary.
  bool clean = h.keep_alive && !until_close && request_complete_ && pos == up.in.size();
  release_upstream(clean);
  co_return Reason::kOk;
}

size_t Exchange::client_body_buffers(size_t from, size_t consumed, bool with_head,
                                     BodyBuffers& bufs) const {
  const auto& up = *c_.s_->upstream;
  size_t count = 0;
  if (with_head) bufs[count++] = asio::buffer(c_.s_->out);
  if (dechunk_) {
    // HTTP/1.0 clients cannot read chunked framing: send the decoded pieces.
    const http::Span* pieces = up.parser.body_pieces();
    for (size_t i = 0; i < up.parser.body_piece_count(); ++i) {
      bufs[count++] = asio::buffer(up.in.data() + pieces[i].off, pieces[i].len);
    }
  } else if (consumed > 0) {
    bufs[count++] = asio::buffer(up.in.data() + from, consumed);
  }
  return count;
}

net::Task<FinishReason> Exchange::write_client(const BodyBuffers& bufs, size_t count) {
  c_.set_deadline(c_.listener_->idle_timeout);
  boost::system::error_code ec;
  if (count <= 2) {
    // The common case (head + one piece) as a fixed pair: Asio's cheapest gather path.
    std::array<asio::const_buffer, 2> pair = {bufs[0], count == 2 ? bufs[1] : asio::const_buffer()};
    std::tie(ec, std::ignore) = co_await asio::async_write(c_.socket_, pair, kNoThrow);
  } else {
    std::tie(ec, std::ignore) = co_await asio::async_write(
        c_.socket_, std::span<const asio::const_buffer>(bufs.data(), count), kNoThrow);
  }
  response_started_ = true;
  if (ec) {
    close_client_ = true;
    release_upstream(false);
    co_return Reason::kDownstreamReset;
  }
  co_return Reason::kOk;
}

void Exchange::release_upstream(bool reusable) {
  if (!c_.s_->upstream) return;
  c_.s_->upstream->busy_hook.unlink();
  if (reusable && !c_.s_->upstream->target->draining.load(std::memory_order_relaxed)) {
    c_.ctx_.pool.put(std::move(c_.s_->upstream));
  } else {
    boost::system::error_code ignored;
    c_.s_->upstream->socket.close(ignored);
  }
  c_.s_->upstream.reset();
}

}  // namespace tern::proxy
