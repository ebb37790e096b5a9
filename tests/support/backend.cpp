#include "tests/support/backend.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "tests/support/backend_session.hpp"

namespace tern::test {

namespace {
BackendOptions named(std::string name) {
  BackendOptions options;
  options.name = std::move(name);
  return options;
}
}  // namespace

Backend::Backend(std::string name) : Backend(named(std::move(name))) {}

Backend::Backend(BackendOptions options) : options_(std::move(options)) {
  start();
}

Backend::~Backend() {
  stop();
}

void Backend::start() {
  listen_fd_ = listen_tcp(options_.host, options_.port);
  port_ = local_port(listen_fd_.get());
  wake_fd_.reset(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!wake_fd_.valid()) throw std::system_error(errno, std::generic_category(), "eventfd");
  accept_thread_ = std::thread([this] { accept_loop(); });
}

std::string Backend::address() const {
  return options_.host + ":" + std::to_string(port_);
}

void Backend::stop() {
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

void Backend::accept_loop() {
  for (;;) {
    pollfd fds[2] = {{listen_fd_.get(), POLLIN, 0}, {wake_fd_.get(), POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0 && errno != EINTR) return;
    if (stopping_) return;
    reap_finished();
    if ((fds[0].revents & POLLIN) == 0) continue;
    Fd fd(::accept4(listen_fd_.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
    if (!fd.valid()) continue;  // EAGAIN, ECONNABORTED, EMFILE: try again on next poll
    set_nodelay(fd.get());
    std::lock_guard lock(mu_);
    const uint64_t id = ++accepted_;
    Connection& conn = connections_[id];
    conn.fd = fd.get();
    conn.thread = std::thread([this, id, f = std::move(fd)]() mutable { serve(id, std::move(f)); });
    changed_.notify_all();
  }
}

void Backend::serve(uint64_t id, Fd fd) {
  BackendSession(*this, id, fd.get()).run();
  std::lock_guard lock(mu_);
  connections_[id].fd = -1;
  fd.reset();
  finished_.push_back(id);
  changed_.notify_all();
}

void Backend::reap_finished() {
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

size_t Backend::request_count() const {
  std::lock_guard lock(mu_);
  return requests_.size();
}

size_t Backend::complete_request_count() const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& r : requests_) n += r.complete ? 1 : 0;
  return n;
}

std::vector<RecordedRequest> Backend::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

std::optional<RecordedRequest> Backend::last_request() const {
  std::lock_guard lock(mu_);
  if (requests_.empty()) return std::nullopt;
  return requests_.back();
}

uint64_t Backend::connections_accepted() const {
  std::lock_guard lock(mu_);
  return accepted_ - probe_connections_.size();
}

void Backend::set_probe_status(int status) {
  std::lock_guard lock(mu_);
  probe_status_ = status;
}

size_t Backend::probe_count() const {
  std::lock_guard lock(mu_);
  return probes_;
}

bool Backend::wait_for_probes(size_t n, Millis timeout) const {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, timeout, [&] { return probes_ >= n; });
}

int Backend::record_probe(uint64_t connection_id) {
  std::lock_guard lock(mu_);
  ++probes_;
  probe_connections_.insert(connection_id);
  changed_.notify_all();
  return probe_status_;
}

size_t Backend::open_connections() const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& [id, conn] : connections_) n += conn.fd >= 0 ? 1 : 0;
  return n;
}

bool Backend::wait_for_requests(size_t n, Millis timeout) const {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, timeout, [&] { return requests_.size() >= n; });
}

bool Backend::wait_for_complete_requests(size_t n, Millis timeout) const {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, timeout, [&] {
    size_t done = 0;
    for (const auto& r : requests_) done += r.complete ? 1 : 0;
    return done >= n;
  });
}

bool Backend::wait_for_open_connections_at_most(size_t n, Millis timeout) const {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, timeout, [&] {
    size_t open = 0;
    for (const auto& [id, conn] : connections_) open += conn.fd >= 0 ? 1 : 0;
    return open <= n;
  });
}

bool Backend::wait_for_idle_connections(size_t n, Millis timeout) const {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, timeout, [&] {
    size_t idle = 0;
    for (const auto& [id, conn] : connections_) idle += conn.fd >= 0 && conn.idle ? 1 : 0;
    return idle >= n;
  });
}

size_t Backend::close_idle_connections() {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (auto& [id, conn] : connections_) {
    if (conn.fd >= 0 && conn.idle) {
      ::shutdown(conn.fd, SHUT_RDWR);
      conn.idle = false;
      ++n;
    }
  }
  return n;
}

size_t Backend::record(RecordedRequest request) {
  std::lock_guard lock(mu_);
  request.index = requests_.size();
  requests_.push_back(std::move(request));
  changed_.notify_all();
  return requests_.size() - 1;
}

void Backend::update(size_t index, const RecordedRequest& request) {
  std::lock_guard lock(mu_);
  requests_[index] = request;
  requests_[index].index = index;
  changed_.notify_all();
}

void Backend::set_idle(uint64_t connection_id, bool idle) {
  std::lock_guard lock(mu_);
  auto it = connections_.find(connection_id);
  if (it != connections_.end()) it->second.idle = idle;
  changed_.notify_all();
}

bool Backend::sleep_for(Millis delay) {
  std::unique_lock lock(mu_);
  return !changed_.wait_for(lock, delay, [&] { return stopping_.load(); });
}

}  // namespace tern::test
