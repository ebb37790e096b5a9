// What the admin server and its connections share: the route table, the options, the
// Date cache, the acceptor and the registry of open connections. Held by shared_ptr from
// the AdminServer, its accept loop and every connection, so that whichever goes last
// (the server object or a connection whose socket was just closed by stop()) never
// touches freed memory, whatever order the composition root tears things down in.
//
// Thread affinity: the control thread (the io_context the server runs on; single-threaded,
// hence no locks). Ownership: shared, see above; connections register raw pointers here
// and remove them in their destructors.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <list>

#include "lb/admin/admin_options.hpp"
#include "lb/admin/router.hpp"
#include "lb/core/date_cache.hpp"

namespace tern::admin {

class AdminConnection;

struct ServerState {
  ServerState(boost::asio::io_context& io, const AdminOptions& opts)
      : options(opts), acceptor(io), retry_timer(io) {}

  AdminOptions options;
  Router router;
  core::DateCache date;
  boost::asio::ip::tcp::acceptor acceptor;
  boost::asio::steady_timer retry_timer;  // pause after an accept error (EMFILE)
  std::list<AdminConnection*> connections;
  bool stopped = false;  // stop() was called: no new connection, no handler call
};

}  // namespace tern::admin
