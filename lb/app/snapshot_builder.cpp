#include "lb/app/snapshot_builder.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <boost/asio/ip/address.hpp>
#include <cstring>

namespace tern::app {

namespace asio = boost::asio;

namespace {

std::string where(const config::Config& cfg, const config::Mark& m) {
  return cfg.file + ":" + std::to_string(m.line) + ":" + std::to_string(m.column) + ": ";
}

// An IP literal, or a name resolved now (once per load; targets are addresses).
bool resolve(const std::string& host, asio::ip::address& out, std::string& error) {
  boost::system::error_code ec;
  out = asio::ip::make_address(host, ec);
  if (!ec) return true;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &res);
  if (rc != 0 || res == nullptr) {
    error = "cannot resolve target host '" + host + "': " + gai_strerror(rc);
    return false;
  }
  if (res->ai_family == AF_INET) {
    auto* a = reinterpret_cast<sockaddr_in*>(res->ai_addr);
    out = asio::ip::address_v4(ntohl(a->sin_addr.s_addr));
  } else {
    auto* a = reinterpret_cast<sockaddr_in6*>(res->ai_addr);
    asio::ip::address_v6::bytes_type bytes;
    std::memcpy(bytes.data(), a->sin6_addr.s6_addr, 16);
    out = asio::ip::address_v6(bytes);
  }
  ::freeaddrinfo(res);
  return true;
}

std::string target_id(const asio::ip::address& a, uint16_t port) {
  if (a.is_v6()) return "[" + a.to_string() + "]:" + std::to_string(port);
  return a.to_string() + ":" + std::to_string(port);
}

http::XffMode xff_mode(config::XffMode m) {
  switch (m) {
    case config::XffMode::kPreserve: return http::XffMode::kPreserve;
    case config::XffMode::kRemove: return http::XffMode::kRemove;
    default: return http::XffMode::kAppend;
  }
}

}  // namespace

std::string listener_key(const config::Listener& listener) {
  if (listener.bind.port == 0) return listener.bind.text + "#" + listener.name;
  return listener.bind.text;
}

BuildResult build_snapshot(const config::Config& cfg, Registry& registry, int workers) {
  BuildResult out;
  auto snap = std::make_shared<proxy::Snapshot>();
  std::map<std::string, std::shared_ptr<upstream::Target>> targets;
  std::map<std::string, std::shared_ptr<upstream::TargetGroup>> groups;
  for (const auto& g : cfg.target_groups) {
    std::vector<std::shared_ptr<upstream::Target>> members;
    for (const auto& t : g.targets) {
      asio::ip::address addr;
      std::string error;
      if (!resolve(t.host, addr, error)) {
        out.errors.push_back(where(cfg, t.mark) + error);
        continue;
      }
      uint16_t port = t.port != 0 ? t.port : g.port.value_or(0);
      std::string id = target_id(addr, port);
      std::string key = g.name + "|" + id;
      auto& slot = targets[key];
      if (!slot) {
        auto old = registry.targets.find(key);
        slot = old != registry.targets.end()
                   ? old->second
                   : std::make_shared<upstream::Target>(
                         upstream::Target{id, asio::ip::tcp::endpoint(addr, port)});
      }
      members.push_back(slot);
    }
    auto group = std::make_shared<upstream::TargetGroup>(g.name, std::move(members), workers);
    groups[g.name] = group;
    snap->target_groups.push_back(group);
  }
  std::map<std::string, std::shared_ptr<proxy::ListenerState>> states;
  for (const auto& l : cfg.listeners) {
    proxy::ListenerRuntime rt;
    rt.name = l.name;
    rt.bind_key = listener_key(l);
    rt.port = l.bind.port;
    rt.idle_timeout = l.idle_timeout;
    rt.header_timeout = l.limits.header_timeout;
    rt.limits = {l.limits.max_request_line, l.limits.max_header_bytes, l.limits.max_body_bytes};
    rt.max_connections = l.limits.max_connections;
    rt.xff = xff_mode(l.xff_header_processing);
    const auto& fwd = l.default_action.forward.target_groups;
    if (!fwd.empty()) rt.default_group = groups[fwd.front().name];
    auto old = registry.listeners.find(rt.bind_key);
    rt.state = old != registry.listeners.end() ? old->second
                                               : std::make_shared<proxy::ListenerState>();
    states[rt.bind_key] = rt.state;
    snap->listeners.push_back(std::move(rt));
  }
  if (!out.errors.empty()) return out;
  registry.targets = std::move(targets);
  registry.listeners = std::move(states);
  snap->generation = ++registry.generation;
  out.snapshot = std::move(snap);
  return out;
}

}  // namespace tern::app
