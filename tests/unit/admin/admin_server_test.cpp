// The admin server over real sockets on 127.0.0.1, port 0: the server's io_context runs
// in a thread as the control thread would; the client is a plain POSIX socket with
// bounded waits. Full responses are compared byte for byte (the Date value replaced).
#include "lb/admin/admin_server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <cerrno>
#include <chrono>
#include <future>
#include <memory>
#include <regex>
#include <string>
#include <thread>

namespace tern::admin {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto kWait = 5s;  // bound on every wait for the server

std::string normalize_date(const std::string& s) {
  static const std::regex date("Date: [^\r]*\r\n");
  return std::regex_replace(s, date, "Date: D\r\n");
}

// A complete response as the server writes it (Date: D); `extra` fields come before
// Content-Type, `connection` is the Connection value (none when empty).
std::string response(int status, std::string_view reason, std::string_view body,
                     std::string_view extra = {}, std::string_view connection = {}) {
  std::string s =
      "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) +
      "\r\nServer: tern\r\nDate: D\r\n" + std::string(extra) +
      "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  if (!connection.empty()) s += "Connection: " + std::string(connection) + "\r\n";
  return s + "\r\n" + std::string(body);
}

std::string healthz_ok() {
  return response(200, "OK", R"({"status":"ok"})");
}

// A blocking client socket whose every read is bounded by a deadline.
class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  }
  ~Client() { ::close(fd_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return connected_; }

  void send(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      ASSERT_GT(n, 0) << "send: " << std::strerror(errno);
      bytes.remove_prefix(static_cast<size_t>(n));
    }
  }

  // One response with a Content-Length body, Date normalized; "" on EOF or timeout.
  std::string read_response() {
    auto deadline = Clock::now() + kWait;
    for (;;) {
      size_t end = buf_.find("\r\n\r\n");
      if (end != std::string::npos) {
        size_t len = content_length(buf_.substr(0, end));
        if (buf_.size() >= end + 4 + len) {
          std::string r = buf_.substr(0, end + 4 + len);
          buf_.erase(0, end + 4 + len);
          return normalize_date(r);
        }
      }
      if (!fill(deadline)) return {};
    }
  }

  // Everything until the server closes, Date normalized; timed_out() tells whether it did.
  std::string read_until_eof() {
    auto deadline = Clock::now() + kWait;
    while (fill(deadline)) {
    }
    std::string r = normalize_date(buf_);
    buf_.clear();
    return r;
  }

  bool eof() const { return eof_; }
  bool timed_out() const { return timed_out_; }

  // True when bytes or EOF are waiting (no blocking).
  bool readable() const {
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, 0) > 0;
  }

 private:
  static size_t content_length(const std::string& head) {
    size_t p = head.find("\r\nContent-Length: ");
    return p == std::string::npos ? 0 : std::stoul(head.substr(p + 18));
  }

  bool fill(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    pollfd p{fd_, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
      timed_out_ = true;
      return false;
    }
    char chunk[4096];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) {
      eof_ = true;  // EOF, or a reset: either way the server closed
      return false;
    }
    buf_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  bool eof_ = false;
  bool timed_out_ = false;
  std::string buf_;
};

class AdminServerTest : public ::testing::Test {
 protected:
  void start(const AdminOptions& options = {}) {
    Handlers h;
    h.target_groups = [] {
      return std::vector<TargetGroupView>{
          {"app", "round_robin", false, {{"10.0.1.5", 8000, "8000", "healthy", "", ""}}}};
    };
    server_ = std::make_unique<AdminServer>(io_, h, options);
    auto ec = server_->listen({asio::ip::make_address("127.0.0.1"), 0});
    ASSERT_FALSE(ec) << ec.message();
    port_ = server_->port();
    ASSERT_NE(port_, 0);
    done_ = std::async(std::launch::async, [this] { io_.run(); });
  }

  void TearDown() override {
    if (!done_.valid()) return;
    asio::post(io_, [this] { server_->stop(); });
    // stop() leaves the io_context without work: run() returns once everything wound down.
    if (done_.wait_for(kWait) != std::future_status::ready) {
      ADD_FAILURE() << "the io_context did not run out of work after stop()";
      io_.stop();
    }
    done_.get();
    server_.reset();
  }

  // Runs f on the server's thread and returns its result (a default value, and a failure,
  // when the loop does not run it in time).
  template <typename F>
  auto on_io(F f) {
    using R = decltype(f());
    auto task = std::make_shared<std::packaged_task<R()>>(std::move(f));
    auto result = task->get_future();
    asio::post(io_, [task] { (*task)(); });
    if (result.wait_for(kWait) != std::future_status::ready) {
      ADD_FAILURE() << "the server's loop did not run the task";
      return R{};
    }
    return result.get();
  }

  // Bounded wait for a condition on the server's state.
  template <typename F>
  bool eventually(F condition) {
    auto deadline = Clock::now() + kWait;
    while (Clock::now() < deadline) {
      if (on_io(condition)) return true;
      std::this_thread::sleep_for(2ms);
    }
    return false;
  }

  asio::io_context io_{1};
  std::unique_ptr<AdminServer> server_;
  uint16_t port_ = 0;
  std::future<void> done_;
};

constexpr std::string_view kGetHealthz = "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n";
constexpr std::string_view kGroupsBody =
    R"({"TargetGroups":[{"TargetGroupName":"app","LoadBalancingAlgorithm":"round_robin",)"
    R"("FailOpen":false,"TargetHealthDescriptions":[{"Target":{"Id":"10.0.1.5","Port":8000},)"
    R"("HealthCheckPort":"8000","TargetHealth":{"State":"healthy"}}]}]})";

TEST_F(AdminServerTest, HealthzAndKeepAlive) {
  start();
  Client c(port_);
  ASSERT_TRUE(c.connected());
  c.send(kGetHealthz);
  EXPECT_EQ(c.read_response(), healthz_ok());
  c.send("GET /v1/target-groups HTTP/1.1\r\nHost: localhost\r\n\r\n");
  EXPECT_EQ(c.read_response(), response(200, "OK", kGroupsBody));
}

TEST_F(AdminServerTest, PipelinedPairIsAnsweredInOrder) {
  start();
  Client c(port_);
  c.send(std::string(kGetHealthz) +
         "GET /v1/target-groups?x=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(c.read_until_eof(), healthz_ok() + response(200, "OK", kGroupsBody, {}, "close"));
  EXPECT_TRUE(c.eof());
}

TEST_F(AdminServerTest, NotFoundAndMethodNotAllowed) {
  start();
  Client c(port_);
  c.send("GET /foo?bar=1 HTTP/1.1\r\nHost: x\r\n\r\nDELETE /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(c.read_response(), response(404, "Not Found", R"({"error":"no such endpoint: /foo"})"));
  EXPECT_EQ(c.read_response(), response(405, "Method Not Allowed",
                                        R"({"error":"method DELETE not allowed on /healthz"})",
                                        "Allow: GET, HEAD\r\n"));
}

TEST_F(AdminServerTest, MalformedRequestIs400ThenClose) {
  start();
  Client c(port_);
  c.send("GET /healthz HTTP/1.1\r\nHost: x\r\nBad header\r\n\r\n" + std::string(kGetHealthz));
  std::string got = c.read_until_eof();
  EXPECT_TRUE(c.eof());
  EXPECT_EQ(got.rfind("HTTP/1.1 400 Bad Request\r\nServer: tern\r\nDate: D\r\n"
                      "Content-Type: application/json\r\n",
                      0),
            0u)
      << got;
  EXPECT_NE(got.find("Connection: close\r\n\r\n{\"error\":\""), std::string::npos) << got;
  EXPECT_EQ(got.find("status"), std::string::npos) << "the pipelined request was answered";
}

TEST_F(AdminServerTest, ListenReportsAddressInUse) {
  start();
  asio::io_context other_io;
  AdminServer other(other_io, Handlers{});
  auto ec = other.listen({asio::ip::make_address("127.0.0.1"), port_});
  EXPECT_EQ(ec, asio::error::address_in_use) << ec.message();
  EXPECT_EQ(other.port(), 0);
  // The first server is unaffected; listening twice is refused.
  EXPECT_EQ(on_io([this] {
              return server_->listen({asio::ip::make_address("127.0.0.1"), 0});
            }),
            asio::error::already_open);
  Client c(port_);
  c.send(kGetHealthz);
  EXPECT_EQ(c.read_response(), healthz_ok());
}

TEST_F(AdminServerTest, StopClosesConnectionsAndTheListener) {
  start();
  Client c(port_);
  c.send(kGetHealthz);
  ASSERT_EQ(c.read_response(), healthz_ok());
  Client quiet(port_);  // connected, never sent anything
  ASSERT_TRUE(eventually([this] { return server_->connection_count() == 2; }));
  on_io([this] {
    server_->stop();
    return 0;
  });
  EXPECT_EQ(c.read_until_eof(), "");
  EXPECT_TRUE(c.eof());
  EXPECT_EQ(quiet.read_until_eof(), "");
  EXPECT_TRUE(quiet.eof());
  Client late(port_);
  EXPECT_FALSE(late.connected());
  // With the acceptor and every connection closed the loop has no work left: it returns,
  // and the server may be used from this thread.
  ASSERT_EQ(done_.wait_for(kWait), std::future_status::ready);
  EXPECT_EQ(server_->listen({asio::ip::make_address("127.0.0.1"), 0}), asio::error::shut_down);
}

TEST_F(AdminServerTest, IdleConnectionIsClosedAfterTheIdleTimeout) {
  AdminOptions o;
  o.idle_timeout = 100ms;
  start(o);
  Client c(port_);
  c.send(kGetHealthz);
  EXPECT_EQ(c.read_response(), healthz_ok());
  auto t0 = Clock::now();
  EXPECT_EQ(c.read_until_eof(), "");  // closed without a word
  EXPECT_TRUE(c.eof());
  EXPECT_GE(Clock::now() - t0, 50ms);
}

TEST_F(AdminServerTest, StalledRequestGets408) {
  AdminOptions o;
  o.request_timeout = 100ms;
  start(o);
  Client c(port_);
  c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n");
  EXPECT_EQ(c.read_until_eof(),
            response(408, "Request Timeout",
                     R"({"error":"request not received within the timeout"})", {}, "close"));
  EXPECT_TRUE(c.eof());
}

TEST_F(AdminServerTest, AddedRouteWithExpectContinue) {
  start();
  on_io([this] {
    // A path of its own: POST /v1/target-groups/{name}/targets is a built-in route now.
    server_->router().add({"POST"}, "/test/{name}/echo", [](const Request& r) {
      return json_response(200, "{\"group\":\"" + std::string(r.param("name")) +
                                    "\",\"body\":" + std::string(r.body) + "}");
    });
    return 0;
  });
  Client c(port_);
  c.send(
      "POST /test/app/echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
      "Content-Type: application/json\r\nContent-Length: 13\r\n\r\n");
  EXPECT_EQ(c.read_response(), "HTTP/1.1 100 Continue\r\n\r\n");
  c.send(R"({"targets":1})");
  EXPECT_EQ(c.read_response(), response(200, "OK", R"({"group":"app","body":{"targets":1}})"));
}

TEST_F(AdminServerTest, RequestTimeoutHoldsAfter100Continue) {
  AdminOptions o;
  o.request_timeout = 200ms;
  start(o);
  Client c(port_);
  c.send("POST /healthz HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
  EXPECT_EQ(c.read_until_eof(),
            "HTTP/1.1 100 Continue\r\n\r\n" +
                response(408, "Request Timeout",
                         R"({"error":"request not received within the timeout"})", {}, "close"));
}

TEST_F(AdminServerTest, TricklingBytesDoesNotExtendTheRequestTimeout) {
  AdminOptions o;
  o.request_timeout = 300ms;
  o.idle_timeout = 300ms;
  start(o);
  Client c(port_);
  c.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ");
  // A byte every 20 ms: each read would reset a per-read timer; the request timeout holds.
  auto give_up = Clock::now() + kWait;
  while (!c.readable() && Clock::now() < give_up) {
    c.send("a");
    std::this_thread::sleep_for(20ms);
  }
  std::string got = c.read_until_eof();
  EXPECT_EQ(got.rfind("HTTP/1.1 408 Request Timeout\r\n", 0), 0u) << got;
}

TEST_F(AdminServerTest, AtTheCapAnIdleConnectionMakesRoom) {
  AdminOptions o;
  o.max_connections = 2;
  start(o);
  Client a(port_);
  Client b(port_);
  a.send(kGetHealthz);
  b.send(kGetHealthz);
  ASSERT_EQ(a.read_response(), healthz_ok());
  ASSERT_EQ(b.read_response(), healthz_ok());
  ASSERT_TRUE(eventually([this] { return server_->idle_connection_count() == 2; }));
  Client c(port_);
  c.send(kGetHealthz);
  EXPECT_EQ(c.read_response(), healthz_ok());
  // One of the idle ones was closed for it (its socket reads EOF); the other stays open.
  ASSERT_TRUE(eventually([&] { return a.readable() || b.readable(); }));
  Client& evicted = a.readable() ? a : b;
  Client& kept = a.readable() ? b : a;
  EXPECT_EQ(evicted.read_until_eof(), "");
  EXPECT_TRUE(evicted.eof());
  kept.send(kGetHealthz);
  EXPECT_EQ(kept.read_response(), healthz_ok());
  EXPECT_EQ(on_io([this] { return server_->connection_count(); }), 2u);
}

TEST_F(AdminServerTest, AtTheCapWithEveryConnectionBusyTheNewcomerGets503) {
  AdminOptions o;
  o.max_connections = 2;
  start(o);
  Client a(port_);
  Client b(port_);
  a.send("GET /healthz HTTP/1.1\r\n");  // a request in progress: not idle
  b.send("GET /healthz HTTP/1.1\r\n");
  ASSERT_TRUE(eventually([this] {
    return server_->connection_count() == 2 && server_->idle_connection_count() == 0;
  }));
  Client c(port_);
  EXPECT_EQ(c.read_until_eof(), response(503, "Service Unavailable",
                                         R"({"error":"too many admin connections"})", {}, "close"));
  EXPECT_TRUE(c.eof());
  // The busy ones are untouched.
  a.send("Host: x\r\n\r\n");
  EXPECT_EQ(a.read_response(), healthz_ok());
}

TEST_F(AdminServerTest, ServerDestroyedBeforeTheLoopRunsIsSafe) {
  // The composition root may destroy the server while connections are winding down: the
  // shared state keeps what they touch alive; the handlers are not called after stop().
  int calls = 0;
  {
    Handlers h;
    h.target_groups = [&calls] {
      ++calls;
      return std::vector<TargetGroupView>{};
    };
    AdminServer server(io_, h);
    ASSERT_FALSE(server.listen({asio::ip::make_address("127.0.0.1"), 0}));
    Client c(server.port());
    c.send("GET /v1/target-groups HTTP/1.1\r\nHost: x\r\n\r\n");
    io_.run_for(50ms);  // accept; probably read and answer
  }
  io_.restart();
  io_.run_for(1s);
  EXPECT_TRUE(io_.stopped());  // nothing left behind
  EXPECT_LE(calls, 1);
}

}  // namespace
}  // namespace tern::admin
