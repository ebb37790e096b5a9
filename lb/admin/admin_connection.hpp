// One admin API connection: moves bytes between the socket and its Session (which parses
// and answers), and keeps time with one deadline timer (Asio's timeout_watchdog pattern,
// as in proxy/downstream_connection): the idle timeout while no request is in progress,
// the request timeout from the first byte of a request (408 when it passes), the write
// timeout while a response is sent. Requests are answered one at a time, in order.
//
// Thread affinity: the control thread (the admin server's io_context). Ownership:
// shared_ptr held by its serve coroutine and its timer handler; registered (raw pointer)
// in ServerState::connections so that stop() and the connection cap can close it.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <list>
#include <memory>
#include <string>

#include "lb/admin/server_state.hpp"
#include "lb/admin/session.hpp"

namespace tern::admin {

class AdminConnection : public std::enable_shared_from_this<AdminConnection> {
 public:
  using Clock = std::chrono::steady_clock;

  AdminConnection(std::shared_ptr<ServerState> state, boost::asio::ip::tcp::socket socket);
  ~AdminConnection();
  AdminConnection(const AdminConnection&) = delete;
  AdminConnection& operator=(const AdminConnection&) = delete;

  void start();

  // Closes the socket now; the coroutine ends at its next resumption, no handler is called
  // after this.
  void close();

  bool closed() const { return closed_; }
  // Waiting for the first byte of a request (safe to close to make room).
  bool idle() const { return idle_; }

 private:
  boost::asio::awaitable<void> serve();
  boost::asio::awaitable<bool> write(const std::string& out);
  boost::asio::awaitable<void> linger_close();
  void set_deadline(std::chrono::milliseconds d) { set_deadline_at(Clock::now() + d); }
  void set_deadline_at(Clock::time_point t);
  void set_read_deadline();
  void arm_timer();
  void on_timeout();

  std::shared_ptr<ServerState> state_;
  boost::asio::ip::tcp::socket socket_;
  Session session_;
  std::list<AdminConnection*>::iterator registry_it_;
  boost::asio::steady_timer timer_;
  Clock::time_point deadline_ = Clock::time_point::max();
  bool timed_out_ = false;
  bool request_clock_ = false;  // request_deadline_ is set for the request being read
  Clock::time_point request_deadline_;
  bool idle_ = false;
  bool closed_ = false;
};

}  // namespace tern::admin
