#include "lb/admin/admin_server.hpp"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <string>

#include "lb/admin/admin_connection.hpp"
#include "lb/admin/server_state.hpp"
#include "lb/core/log.hpp"

namespace tern::admin {

namespace asio = boost::asio;
using asio::awaitable;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
// After an accept error that repeats (EMFILE, ENFILE, ENOBUFS): wait before retrying
// instead of spinning on it.
constexpr std::chrono::milliseconds kAcceptRetry{100};
constexpr int kBacklog = 64;

size_t open_connections(const ServerState& state) {
  size_t n = 0;
  for (const AdminConnection* c : state.connections) n += c->closed() ? 0 : 1;
  return n;
}

size_t idle_connections(const ServerState& state) {
  size_t n = 0;
  for (const AdminConnection* c : state.connections) n += !c->closed() && c->idle() ? 1 : 0;
  return n;
}

AdminConnection* idle_connection(const ServerState& state) {
  for (AdminConnection* c : state.connections) {
    if (!c->closed() && c->idle()) return c;
  }
  return nullptr;
}

// At the cap with every connection busy: a best-effort 503 and close, without a coroutine
// (the point is to spend nothing on it). The socket is fresh, so the small answer fits its
// send buffer; what the client already sent is read and dropped first, so that the close
// does not turn into a reset that destroys the answer.
void refuse(ServerState& state, asio::ip::tcp::socket& socket) {
  std::string out;
  encode_response(error_response(503, "too many admin connections"), Framing{true, false, false},
                  state.date.now(), out);
  boost::system::error_code ec;
  socket.non_blocking(true, ec);
  socket.write_some(asio::buffer(out), ec);
  socket.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  std::array<char, 4096> sink;
  for (int i = 0; i < 16; ++i) {
    size_t n = socket.read_some(asio::buffer(sink), ec);
    if (ec || n == 0) break;
  }
  socket.close(ec);
}

void admit(const std::shared_ptr<ServerState>& state, asio::ip::tcp::socket socket) {
  if (open_connections(*state) >= state->options.max_connections) {
    // An idle keep-alive connection is the cheapest to give up: its client reconnects.
    AdminConnection* idle = idle_connection(*state);
    if (idle == nullptr) {
      refuse(*state, socket);
      return;
    }
    idle->close();
  }
  std::make_shared<AdminConnection>(state, std::move(socket))->start();
}

awaitable<void> accept_loop(std::shared_ptr<ServerState> state) {
  while (!state->stopped) {
    auto [ec, socket] = co_await state->acceptor.async_accept(kNoThrow);
    if (state->stopped || ec == asio::error::operation_aborted) co_return;
    if (ec) {
      core::log_warn("admin: accept failed: " + ec.message());
      state->retry_timer.expires_after(kAcceptRetry);
      co_await state->retry_timer.async_wait(kNoThrow);
      continue;
    }
    admit(state, std::move(socket));
  }
}

}  // namespace

AdminServer::AdminServer(asio::io_context& io, const Handlers& handlers,
                         const AdminOptions& options)
    : state_(std::make_shared<ServerState>(io, options)) {
  add_routes(state_->router, handlers);
}

AdminServer::~AdminServer() {
  stop();
}

boost::system::error_code AdminServer::listen(const asio::ip::tcp::endpoint& endpoint) {
  if (state_->stopped) return asio::error::shut_down;
  if (state_->acceptor.is_open()) return asio::error::already_open;
  boost::system::error_code ec;
  auto& a = state_->acceptor;
  a.open(endpoint.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(endpoint, ec);
  if (!ec) a.listen(kBacklog, ec);
  if (ec) {
    boost::system::error_code ignored;
    a.close(ignored);
    return ec;
  }
  asio::co_spawn(a.get_executor(), accept_loop(state_),
                 [](std::exception_ptr e) { core::log_task_failure("admin accept loop", e); });
  return {};
}

uint16_t AdminServer::port() const {
  boost::system::error_code ec;
  if (!state_->acceptor.is_open()) return 0;
  auto ep = state_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

void AdminServer::stop() {
  if (state_->stopped) return;
  state_->stopped = true;
  boost::system::error_code ignored;
  state_->acceptor.close(ignored);
  state_->retry_timer.cancel();
  // close() does not unregister (the destructor does, later), so iterating is safe.
  for (AdminConnection* c : state_->connections) c->close();
}

void AdminServer::set_handlers(const Handlers& handlers) {
  state_->router = Router();
  add_routes(state_->router, handlers);
}

Router& AdminServer::router() {
  return state_->router;
}

size_t AdminServer::connection_count() const {
  return open_connections(*state_);
}

size_t AdminServer::idle_connection_count() const {
  return idle_connections(*state_);
}

}  // namespace tern::admin
