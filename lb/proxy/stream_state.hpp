// What a connection needs only while a request is in progress: the read buffer, the
// request parser, the encoded heads, the routing decision and the upstream connection.
// Taken from the worker's spares when a request's first bytes arrive and handed back when
// the connection goes idle, so an idle keep-alive connection holds none of it and a busy
// one allocates none in steady state (the spares keep their capacity).
//
// Thread affinity: one worker. Ownership: unique_ptr, held by one DownstreamConnection at a
// time or by the worker's spare list (WorkerContext).
#pragma once

#include <array>
#include <boost/asio/buffer.hpp>
#include <memory>
#include <string>

#include "lb/http/parser.hpp"
#include "lb/net/buffer.hpp"
#include "lb/proxy/request_routing.hpp"
#include "lb/router/ip_address.hpp"
#include "lb/upstream/upstream_connection.hpp"

namespace tern::proxy {

struct StreamState {
  // A response head and body piece(s) for one gather-write to the client: the head plus
  // up to 64 decoded chunks (HTTP/1.0 clients).
  using BodyBuffers = std::array<boost::asio::const_buffer, 65>;

  explicit StreamState(net::BufferPool* pool) { in.set_pool(pool); }

  net::Buffer in;  // request bytes; a head always starts at offset 0
  http::Parser parser{http::Parser::Kind::kRequest};
  std::string out;              // response heads and local replies to the client
  std::string upstream_head;    // request head encoded for the target
  RequestRouting routing;       // what a forwarded stream sends (target, Host, Set-Cookie)
  std::string response_fields;  // fields added to the response: routing's + stickiness
  // Upstream connection of the stream in flight (a timeout cancels it too).
  std::shared_ptr<upstream::UpstreamConnection> upstream;
  // The client address as X-Forwarded-For carries it, and the peer it was formatted for
  // (kept across reuse: a state mostly comes back to connections from the same address).
  std::string client_ip;
  router::IpAddress client_ip_of;
  uint32_t client_scope_of = 0;
  BodyBuffers body_buffers;  // Exchange::relay_response's, kept out of its coroutine frame
};

// The worker's spare StreamStates, bounded.
class StreamStatePool {
 public:
  static constexpr size_t kMaxSpares = 1024;

  explicit StreamStatePool(net::BufferPool& buffers) : buffers_(buffers) {}

  std::unique_ptr<StreamState> take() {
    if (spares_.empty()) return std::make_unique<StreamState>(&buffers_);
    std::unique_ptr<StreamState> s = std::move(spares_.back());
    spares_.pop_back();
    return s;
  }

  void give(std::unique_ptr<StreamState> s) {
    if (!s || spares_.size() >= kMaxSpares) return;
    s->in.clear();
    s->in.release();
    s->upstream.reset();
    spares_.push_back(std::move(s));
  }

 private:
  net::BufferPool& buffers_;
  std::vector<std::unique_ptr<StreamState>> spares_;
};

}  // namespace tern::proxy
