// The admin HTTP API server (spec/config.md, "Admin API"): accepts connections on
// admin.bind and answers them through the route table (routes.hpp) on the io_context it is
// given, the control thread's, next to signals, reload and health checks.
//
// Usage (composition root):
//   admin::AdminServer admin(io, admin::Handlers{.target_groups = [&] { return ...; }});
//   if (auto ec = admin.listen(endpoint)) { /* "admin.bind <ep>: " + ec.message() */ }
//   admin.router().add({"GET"}, "/metrics", ...);  // more routes, before or after listen
//   ...
//   admin.stop();  // shutdown: closes the acceptor and every admin connection
//
// Thread affinity: the control thread only. The io_context must be run by that one
// thread (handlers read the control thread's state without locks); every member function
// is called from it. Ownership: owned by the composition root; the shared state it holds
// with its connections lives until the last of them is gone (ServerState), so destroying
// the server (which stops it) while connections are still winding down is safe. Handlers
// are never called after stop().
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "lb/admin/admin_options.hpp"
#include "lb/admin/router.hpp"
#include "lb/admin/routes.hpp"

namespace tern::admin {

struct ServerState;

class AdminServer {
 public:
  AdminServer(boost::asio::io_context& io, const Handlers& handlers,
              const AdminOptions& options = {});
  ~AdminServer();
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  // Binds (SO_REUSEADDR) and starts accepting. On failure (address in use, permission,
  // not a local address) returns the error and leaves nothing open; calling it twice is
  // `already_open`, after stop() `shut_down`.
  boost::system::error_code listen(const boost::asio::ip::tcp::endpoint& endpoint);

  // The bound port (the kernel's choice when listen() was given port 0); 0 when not
  // listening.
  uint16_t port() const;

  // Closes the acceptor and every open admin connection (a response being written is cut
  // off). Idempotent; the server cannot listen again.
  void stop();

  // The route table, to add routes (see routes.hpp).
  Router& router();

  // Replaces the routes with add_routes(handlers) (a reload changed the token): the next
  // request is answered by the new table.
  void set_handlers(const Handlers& handlers);

  // Open admin connections, and those of them waiting for a request (diagnostics, tests).
  size_t connection_count() const;
  size_t idle_connection_count() const;

 private:
  std::shared_ptr<ServerState> state_;
};

}  // namespace tern::admin
