#include "tests/unit/health/test_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <vector>

namespace tern::health::test {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
}

struct TestServer::State {
  explicit State(asio::io_context& io) : acceptor(io) {}
  tcp::acceptor acceptor;
  Mode mode = Mode::kRespond;
  int status = 200;
  int connections = 0;
  int requests = 0;
  int peer_closed = 0;
  std::string last_request;
  std::vector<std::shared_ptr<tcp::socket>> held;
  bool closed = false;
};

namespace {

using State = TestServer::State;

asio::awaitable<void> serve(std::shared_ptr<State> state, std::shared_ptr<tcp::socket> socket) {
  using Mode = TestServer::Mode;
  boost::system::error_code ignored;
  if (state->mode == Mode::kClose) {
    socket->close(ignored);
    co_return;
  }
  asio::streambuf head(8192);
  auto [ec, n] = co_await asio::async_read_until(*socket, head, "\r\n\r\n", kNoThrow);
  if (ec || state->closed) co_return;
  ++state->requests;
  state->last_request.assign(asio::buffers_begin(head.data()),
                             asio::buffers_begin(head.data()) + n);
  const std::string answer = "HTTP/1.1 " + std::to_string(state->status) +
                             " Whatever\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  switch (state->mode) {
    case Mode::kSilent: {
      state->held.push_back(socket);
      // Notice when the prober gives up (closes its end).
      char byte;
      auto [read_ec, got] = co_await socket->async_read_some(asio::buffer(&byte, 1), kNoThrow);
      if (read_ec != asio::error::operation_aborted) ++state->peer_closed;
      co_return;
    }
    case Mode::kReset:
      socket->set_option(asio::socket_base::linger(true, 0), ignored);
      socket->close(ignored);
      co_return;
    case Mode::kGarbage:
      co_await asio::async_write(*socket, asio::buffer(std::string_view("SSH-2.0-OpenSSH\r\n")),
                                 kNoThrow);
      break;
    case Mode::kTruncated:
      co_await asio::async_write(*socket, asio::buffer(std::string_view("HTTP/1.1 20")), kNoThrow);
      break;
    case Mode::kSplit: {
      asio::steady_timer pause(socket->get_executor());
      for (char c : answer) {
        co_await asio::async_write(*socket, asio::buffer(&c, 1), kNoThrow);
        pause.expires_after(std::chrono::milliseconds(1));
        co_await pause.async_wait(kNoThrow);
      }
      break;
    }
    case Mode::kRespond:
    case Mode::kClose:
      co_await asio::async_write(*socket, asio::buffer(answer), kNoThrow);
      break;
  }
  socket->shutdown(tcp::socket::shutdown_send, ignored);
  socket->close(ignored);
}

asio::awaitable<void> accept_loop(std::shared_ptr<State> state) {
  for (;;) {
    auto socket = std::make_shared<tcp::socket>(state->acceptor.get_executor());
    auto [ec] = co_await state->acceptor.async_accept(*socket, kNoThrow);
    if (ec || state->closed) co_return;
    ++state->connections;
    asio::co_spawn(state->acceptor.get_executor(), serve(state, socket), [](std::exception_ptr e) {
      if (e) std::rethrow_exception(e);
    });
  }
}

}  // namespace

TestServer::TestServer(asio::io_context& io, Mode mode, int status,
                       const asio::ip::address& address)
    : state_(std::make_shared<State>(io)) {
  state_->mode = mode;
  state_->status = status;
  tcp::endpoint at(address, 0);
  state_->acceptor.open(at.protocol());
  state_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  state_->acceptor.bind(at);
  state_->acceptor.listen();
  asio::co_spawn(io, accept_loop(state_), [](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
  });
}

TestServer::~TestServer() {
  state_->closed = true;
  boost::system::error_code ignored;
  state_->acceptor.close(ignored);
  for (auto& socket : state_->held) socket->close(ignored);
  state_->held.clear();
}

tcp::endpoint TestServer::endpoint() const {
  return state_->acceptor.local_endpoint();
}
void TestServer::set_mode(Mode mode) {
  state_->mode = mode;
}
void TestServer::set_status(int status) {
  state_->status = status;
}
int TestServer::connections() const {
  return state_->connections;
}
int TestServer::peer_closed() const {
  return state_->peer_closed;
}
int TestServer::requests() const {
  return state_->requests;
}
std::string TestServer::last_request() const {
  return state_->last_request;
}

tcp::endpoint closed_endpoint(asio::io_context& io) {
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  tcp::endpoint at = acceptor.local_endpoint();
  acceptor.close();
  return at;
}

void run_for(asio::io_context& io, std::chrono::milliseconds span) {
  const auto deadline = std::chrono::steady_clock::now() + span;
  while (std::chrono::steady_clock::now() < deadline) {
    if (io.stopped()) io.restart();
    if (io.run_one_until(deadline) == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

}  // namespace tern::health::test
