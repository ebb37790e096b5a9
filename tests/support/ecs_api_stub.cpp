// The ECS API stub's server side and state (ecs_api_stub.hpp); the operations are in
// ecs_api_stub_ops.cpp, the signature check in ecs_stub_auth.cpp.
#include "tests/support/ecs_api_stub.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <system_error>

#include "tests/support/stream_reader.hpp"

namespace tern::test {
namespace {

constexpr Millis kIdle{60 * 1000};
constexpr Millis kWrite{10 * 1000};
constexpr size_t kMaxBody = 1 << 20;

const char* reason_of(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 411:
      return "Length Required";
    case 500:
      return "Internal Server Error";
    default:
      return "Status";
  }
}

}  // namespace

std::string ecs_cluster_name(std::string_view cluster) {
  const size_t slash = cluster.rfind("cluster/");
  if (cluster.substr(0, 4) == "arn:" && slash != std::string_view::npos) {
    return std::string(cluster.substr(slash + 8));
  }
  return std::string(cluster);
}

EcsStubTask EcsStubTask::running(std::string ipv4, std::string container) {
  EcsStubTask task;
  task.eni_ipv4 = std::move(ipv4);
  task.containers.front().name = std::move(container);
  return task;
}

EcsApiStub::EcsApiStub(EcsApiStubOptions options) : options_(std::move(options)) {
  start();
}

EcsApiStub::~EcsApiStub() {
  stop();
}

void EcsApiStub::start() {
  listen_fd_ = listen_tcp(options_.host, options_.port);
  port_ = local_port(listen_fd_.get());
  wake_fd_.reset(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!wake_fd_.valid()) throw std::system_error(errno, std::generic_category(), "eventfd");
  accept_thread_ = std::thread([this] { accept_loop(); });
}

std::string EcsApiStub::address() const {
  return options_.host + ":" + std::to_string(port_);
}

std::string EcsApiStub::endpoint() const {
  return "http://" + address();
}

std::string EcsApiStub::cluster_arn(std::string_view cluster) const {
  return "arn:aws:ecs:" + options_.region + ":" + options_.account + ":cluster/" +
         ecs_cluster_name(cluster);
}

void EcsApiStub::stop() {
  if (stopping_.exchange(true)) return;
  const uint64_t one = 1;
  [[maybe_unused]] const auto w = ::write(wake_fd_.get(), &one, sizeof one);
  if (accept_thread_.joinable()) accept_thread_.join();
  listen_fd_.reset();
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    for (auto& [id, conn] : connections_) {
      if (conn.fd >= 0) ::shutdown(conn.fd, SHUT_RDWR);
      threads.push_back(std::move(conn.thread));
    }
    changed_.notify_all();
  }
  for (auto& t : threads) {
    if (t.joinable()) t.join();
  }
  std::lock_guard lock(mu_);
  connections_.clear();
}

void EcsApiStub::accept_loop() {
  for (;;) {
    const bool refusing = apply_refusal();
    // While refusing, the socket does not listen: leave it out.
    pollfd fds[2] = {{wake_fd_.get(), POLLIN, 0}, {listen_fd_.get(), POLLIN, 0}};
    if (::poll(fds, refusing ? 1 : 2, -1) < 0 && errno != EINTR) return;
    if (stopping_) return;
    if ((fds[0].revents & POLLIN) != 0) {
      uint64_t count = 0;
      [[maybe_unused]] const auto r = ::read(wake_fd_.get(), &count, sizeof count);
    }
    reap_finished();
    if (refusing || (fds[1].revents & POLLIN) == 0) continue;
    Fd fd(::accept4(listen_fd_.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
    if (!fd.valid()) continue;  // EAGAIN, ECONNABORTED, EMFILE: try again on next poll
    std::lock_guard lock(mu_);
    if (reset_connections_) {
      close_with_reset(fd);
      continue;
    }
    set_nodelay(fd.get());
    const uint64_t id = ++accepted_;
    Connection& conn = connections_[id];
    conn.fd = fd.get();
    conn.thread = std::thread([this, id, f = std::move(fd)]() mutable { serve(id, std::move(f)); });
  }
}

void EcsApiStub::serve(uint64_t id, Fd fd) {
  serve_connection(fd.get());
  std::lock_guard lock(mu_);
  connections_[id].fd = -1;
  fd.reset();
  finished_.push_back(id);
}

void EcsApiStub::reap_finished() {
  std::vector<std::thread> done;
  {
    std::lock_guard lock(mu_);
    for (const uint64_t id : finished_) {
      auto it = connections_.find(id);
      if (it == connections_.end()) continue;
      done.push_back(std::move(it->second.thread));
      connections_.erase(it);
    }
    finished_.clear();
  }
  for (auto& t : done) {
    if (t.joinable()) t.join();
  }
}

// Keep-alive HTTP/1.1 with Content-Length bodies only: the AWS SDKs and tern's client send
// nothing else to ECS (a chunked request is answered 411, RFC 9112 section 6.3).
void EcsApiStub::serve_connection(int fd) {
  StreamReader reader(fd, kIdle);
  while (!stopping_) {
    std::string head;
    if (!reader.read_head(head, 64 * 1024).ok()) break;
    ParsedHead parsed;
    EcsStubRequest req;
    std::string version;
    std::string err = parse_head(head, parsed);
    if (err.empty()) err = split_request_line(parsed.start_line, req.method, req.target, version);
    req.headers = std::move(parsed.headers);
    const auto length = find_header(req.headers, "Content-Length");
    const auto size = length ? parse_decimal(*length) : std::optional<uint64_t>(0);
    Reply reply;
    bool close = false;
    if (!err.empty() || !size || *size > kMaxBody) {
      reply =
          error(400, "SerializationException", "bad request: " + err, "com.amazon.coral.service");
      close = true;
    } else if (has_header(req.headers, "Transfer-Encoding")) {
      reply = error(411, "LengthRequiredException", "Content-Length is required",
                    "com.amazon.coral.service");
      close = true;
    } else {
      const ReadStatus st =
          reader.read_exact(*size, [&](const char* p, size_t n) { req.body.append(p, n); });
      if (!st.ok()) break;
      reply = handle(req);
    }
    std::string out = "HTTP/1.1 " + std::to_string(reply.status) + " " + reason_of(reply.status) +
                      "\r\nx-amzn-RequestId: stub-" + std::to_string(request_count()) +
                      "\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: " +
                      std::to_string(reply.body.size()) + "\r\n";
    if (!reply.error_type.empty()) {
      out += "x-amzn-ErrorType: " + reply.error_type + ":http://internal.amazon.com/coral/" +
             reply.error_namespace + "/\r\n";
    }
    if (close) out += "Connection: close\r\n";
    out += "\r\n" + reply.body;
    if (write_all(fd, out, deadline_in(kWrite)).status != IoStatus::kOk || close) break;
  }
  ::shutdown(fd, SHUT_WR);
}

void EcsApiStub::set_refuse_connections(bool on) {
  std::unique_lock lock(mu_);
  if (stopping_) return;
  refuse_connections_ = on;
  const uint64_t one = 1;
  [[maybe_unused]] const auto w = ::write(wake_fd_.get(), &one, sizeof one);
  changed_.wait_for(lock, Millis(5000), [&] { return refusing_ == on || stopping_; });
}

// Refusing closes the listening socket and holds the port with a bound socket that does not
// listen (a SYN to it is answered with a RST); resuming makes that socket listen. The port
// is bound explicitly so that it stays the same: a socket bound to port 0 would give its
// port back on close.
bool EcsApiStub::apply_refusal() {
  std::lock_guard lock(mu_);
  if (refuse_connections_ == refusing_) return refusing_;
  if (refuse_connections_) {
    listen_fd_.reset();
    Fd held(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    const int yes = 1;
    ::setsockopt(held.get(), SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port_);
    ::inet_pton(AF_INET, options_.host.c_str(), &addr.sin_addr);
    if (::bind(held.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      throw std::system_error(errno, std::generic_category(), "bind (refusing connections)");
    }
    listen_fd_ = std::move(held);
  } else if (::listen(listen_fd_.get(), 1024) != 0) {
    throw std::system_error(errno, std::generic_category(), "listen");
  }
  refusing_ = refuse_connections_;
  changed_.notify_all();
  return refusing_;
}

void EcsApiStub::set_credentials(discovery::sigv4::Credentials credentials) {
  std::lock_guard lock(mu_);
  options_.credentials = std::move(credentials);
}

discovery::sigv4::Credentials EcsApiStub::credentials() const {
  std::lock_guard lock(mu_);
  return options_.credentials;
}

void EcsApiStub::set_clock_offset(std::chrono::seconds offset) {
  std::lock_guard lock(mu_);
  clock_offset_ = offset;
}

void EcsApiStub::add_service(std::string_view cluster, std::string_view service) {
  std::lock_guard lock(mu_);
  services_.emplace(ecs_cluster_name(cluster), std::string(service));
}

std::string EcsApiStub::make_task_arn(std::string_view cluster) {
  char id[33];
  std::snprintf(id, sizeof id, "%032llx", static_cast<unsigned long long>(next_task_id_++));
  return "arn:aws:ecs:" + options_.region + ":" + options_.account + ":task/" +
         ecs_cluster_name(cluster) + "/" + id;
}

std::string EcsApiStub::add_task(std::string_view cluster, std::string_view service,
                                 EcsStubTask task) {
  std::lock_guard lock(mu_);
  const std::string name = ecs_cluster_name(cluster);
  services_.emplace(name, std::string(service));
  if (task.task_arn.empty()) task.task_arn = make_task_arn(name);
  tasks_.push_back(StoredTask{name, std::string(service), std::move(task)});
  return tasks_.back().task.task_arn;
}

bool EcsApiStub::update_task(std::string_view task_arn,
                             const std::function<void(EcsStubTask&)>& change) {
  std::lock_guard lock(mu_);
  for (auto& stored : tasks_) {
    if (stored.task.task_arn != task_arn) continue;
    const int64_t version = stored.task.version;
    change(stored.task);
    stored.task.version = std::max(stored.task.version, version + 1);
    return true;
  }
  return false;
}

bool EcsApiStub::stop_task(std::string_view task_arn) {
  return update_task(task_arn, [](EcsStubTask& t) {
    t.last_status = "STOPPED";
    t.desired_status = "STOPPED";
    for (auto& c : t.containers) c.last_status = "STOPPED";
  });
}

std::string EcsApiStub::replace_task(std::string_view old_arn, EcsStubTask task) {
  std::string cluster;
  std::string service;
  {
    std::lock_guard lock(mu_);
    const auto it = std::find_if(tasks_.begin(), tasks_.end(),
                                 [&](const StoredTask& s) { return s.task.task_arn == old_arn; });
    if (it == tasks_.end()) return {};
    cluster = it->cluster;
    service = it->service;
  }
  stop_task(old_arn);
  return add_task(cluster, service, std::move(task));
}

bool EcsApiStub::remove_task(std::string_view task_arn) {
  std::lock_guard lock(mu_);
  return std::erase_if(tasks_, [&](const StoredTask& s) { return s.task.task_arn == task_arn; }) >
         0;
}

std::optional<EcsStubTask> EcsApiStub::task(std::string_view task_arn) const {
  std::lock_guard lock(mu_);
  for (const auto& stored : tasks_) {
    if (stored.task.task_arn == task_arn) return stored.task;
  }
  return std::nullopt;
}

std::vector<EcsStubTask> EcsApiStub::tasks(std::string_view cluster,
                                           std::string_view service) const {
  std::lock_guard lock(mu_);
  std::vector<EcsStubTask> out;
  const std::string name = ecs_cluster_name(cluster);
  for (const auto& stored : tasks_) {
    if (stored.cluster == name && stored.service == service) out.push_back(stored.task);
  }
  return out;
}

void EcsApiStub::throttle_next(size_t n) {
  std::lock_guard lock(mu_);
  throttle_left_ = n;
}

void EcsApiStub::fail_next(size_t n) {
  std::lock_guard lock(mu_);
  fail_left_ = n;
}

void EcsApiStub::set_reset_connections(bool on) {
  std::lock_guard lock(mu_);
  reset_connections_ = on;
}

size_t EcsApiStub::call_count(std::string_view operation) const {
  std::lock_guard lock(mu_);
  const auto it = calls_.find(operation);
  return it == calls_.end() ? 0 : it->second;
}

size_t EcsApiStub::request_count() const {
  std::lock_guard lock(mu_);
  return requests_.size();
}

std::vector<EcsStubRequest> EcsApiStub::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

std::optional<EcsStubRequest> EcsApiStub::last_request() const {
  std::lock_guard lock(mu_);
  if (requests_.empty()) return std::nullopt;
  return requests_.back();
}

bool EcsApiStub::wait_for_calls(std::string_view operation, size_t n, Millis timeout) const {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, timeout, [&] {
    const auto it = calls_.find(operation);
    return it != calls_.end() && it->second >= n;
  });
}

}  // namespace tern::test
