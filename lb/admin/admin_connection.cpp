#include "lb/admin/admin_connection.hpp"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "lb/core/log.hpp"

namespace tern::admin {

namespace asio = boost::asio;
using asio::awaitable;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr size_t kReadChunk = 4096;
// After a rejected request: how long and how much of the rest to read and drop before
// closing (nginx's lingering close, RFC 9112 §9.6).
constexpr std::chrono::milliseconds kLingerTime{1000};
constexpr size_t kLingerBytes = 256 * 1024;

}  // namespace

AdminConnection::AdminConnection(std::shared_ptr<ServerState> state, asio::ip::tcp::socket socket)
    : state_(std::move(state)),
      socket_(std::move(socket)),
      session_(state_->router, state_->options.limits),
      timer_(socket_.get_executor()) {
  registry_it_ = state_->connections.insert(state_->connections.end(), this);
}

AdminConnection::~AdminConnection() {
  state_->connections.erase(registry_it_);
}

void AdminConnection::start() {
  // Pipelined answers are separate writes: Nagle would hold the second one until the
  // client's delayed ACK of the first.
  boost::system::error_code ignored;
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  arm_timer();
  asio::co_spawn(socket_.get_executor(), serve(),
                 [self = shared_from_this()](std::exception_ptr e) {
                   core::log_task_failure("admin connection", e);
                   self->close();
                 });
}

void AdminConnection::close() {
  if (closed_) return;
  closed_ = true;
  idle_ = false;
  boost::system::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  timer_.cancel();
}

void AdminConnection::set_deadline_at(Clock::time_point t) {
  deadline_ = t;
  // The timer sleeps until the previous deadline; wake it when this one is earlier.
  if (t < timer_.expiry()) timer_.cancel();
}

void AdminConnection::on_timeout() {
  timed_out_ = true;
  deadline_ = Clock::time_point::max();
  boost::system::error_code ignored;
  socket_.cancel(ignored);
}

void AdminConnection::arm_timer() {
  timer_.expires_at(deadline_);
  timer_.async_wait([self = shared_from_this()](const boost::system::error_code&) {
    if (self->closed_) return;  // close() cancelled the timer: the last reference may go
    if (self->deadline_ <= Clock::now()) self->on_timeout();
    self->arm_timer();
  });
}

awaitable<void> AdminConnection::serve() {
  std::string out;
  while (!closed_) {
    const Session::Step step = session_.next(state_->date.now(), out);
    if (step.action == Session::Action::kClose) break;
    if (step.action == Session::Action::kWrite) {
      if (!co_await write(out)) break;
      if (!step.interim) request_clock_ = false;  // the next request gets its own timeout
      if (step.close) {
        if (step.linger) co_await linger_close();
        break;
      }
      continue;
    }
    set_read_deadline();
    auto [ec, n] = co_await socket_.async_read_some(session_.prepare(kReadChunk), kNoThrow);
    idle_ = false;
    if (closed_) break;
    if (ec || n == 0) {
      // A client that stalls mid-request gets 408; one that went away, or idled out,
      // gets nothing.
      if (timed_out_ && session_.in_request()) {
        session_.timed_out(state_->date.now(), out);
        co_await write(out);
      }
      break;
    }
    session_.commit(n);
  }
  close();
}

void AdminConnection::set_read_deadline() {
  // Between requests the idle timeout applies; from the first byte of a request the
  // request timeout, fixed once: a client trickling bytes (or waiting after a 100
  // Continue) cannot extend it.
  if (!session_.in_request()) {
    idle_ = true;
    request_clock_ = false;
    set_deadline(state_->options.idle_timeout);
  } else {
    if (!request_clock_) {
      request_clock_ = true;
      request_deadline_ = Clock::now() + state_->options.request_timeout;
    }
    set_deadline_at(request_deadline_);
  }
  timed_out_ = false;
}

awaitable<bool> AdminConnection::write(const std::string& out) {
  timed_out_ = false;
  set_deadline(state_->options.write_timeout);
  auto [ec, n] = co_await asio::async_write(socket_, asio::buffer(out), kNoThrow);
  (void)n;
  co_return !ec && !closed_;
}

awaitable<void> AdminConnection::linger_close() {
  // Closing with unread request bytes makes the kernel send a reset, which can destroy
  // the answer before the client reads it: stop sending, read and drop for a while.
  boost::system::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  timed_out_ = false;
  set_deadline(kLingerTime);
  std::array<char, kReadChunk> sink;
  size_t dropped = 0;
  while (dropped < kLingerBytes && !timed_out_ && !closed_) {
    auto [ec, n] = co_await socket_.async_read_some(asio::buffer(sink), kNoThrow);
    if (ec || n == 0) break;
    dropped += n;
  }
}

}  // namespace tern::admin
