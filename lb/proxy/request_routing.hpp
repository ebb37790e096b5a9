// The routing step of one stream: turns the parsed request head into what the router
// sees (router::prepare_request), asks the listener's compiled rules which route applies,
// and works out what the connection does next: forward (target group chosen by weight or
// stickiness, request-target and Host after transforms, Set-Cookie to add to the
// response), answer locally (redirect, fixed response, failed rewrite), or reject (400).
// See router/compiled_rules.hpp for the call sequence this follows.
//
// Thread affinity: the connection's worker. Ownership: one RequestRouting per
// DownstreamConnection holds what a forwarded stream needs while it suspends (target,
// Host, Set-Cookie); the request as the rules see it lives in the worker's RoutingScratch,
// which is only read synchronously right after route(). Both are reused for every request
// (their strings keep their capacity: no allocation in steady state). Views point into
// these strings, into the connection's read buffer and into the snapshot: valid until the
// next route() on the worker (RoutingScratch) or the connection (forward()), or until the
// request bytes are consumed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "lb/core/finish_reason.hpp"
#include "lb/http/message_head.hpp"
#include "lb/proxy/local_action.hpp"
#include "lb/proxy/snapshot.hpp"
#include "lb/router/request.hpp"
#include "lb/router/transforms.hpp"

namespace tern::proxy {

// What an Exchange sends for a forwarded request.
struct ForwardTarget {
  std::string_view target;           // request-target (origin-form or "*")
  std::string_view host_override;    // Host value to send instead of the client's; "" = as sent
  std::string_view response_fields;  // complete lines for the response ("Set-Cookie: ...\r\n")
};

// Working space of the stream a worker is routing right now: the request as the rules see
// it, and the local reply's pieces. Filled by route() and read before the stream first
// suspends, so one per worker serves all its connections.
struct RoutingScratch {
  router::RequestScratch request_scratch;
  router::Request request;  // views into request_scratch and the read buffer
  LocalScratch local;
};

class RequestRouting {
 public:
  struct Decision {
    enum class Kind : uint8_t {
      kForward,  // to `group`, with forward()
      kLocal,    // tern answers: `reason` is kRedirect, kFixedResponse or kRewriteFailed
      kReject,   // tern answers `reason` (kBadRequest, kNoRoute) and closes
    };
    Kind kind = Kind::kReject;
    core::FinishReason reason = core::FinishReason::kBadRequest;
    const router::Route* route = nullptr;    // the matched route (kForward, kLocal)
    upstream::TargetGroup* group = nullptr;  // kForward
  };

  // Facts of the connection every request of it shares (set once, at accept).
  void set_peer(const router::IpAddress& peer) { connection_.peer = peer; }

  // Routes the request whose head is `head` (offsets into `base`) under `listener` of
  // `snapshot`, for worker `worker` (its weighted pick counters and `scratch`, where the
  // request as the rules saw it is left for a local reply).
  Decision route(const Snapshot& snapshot, const ListenerRuntime& listener,
                 const http::MessageHead& head, const char* base, int worker,
                 RoutingScratch& scratch);

  // For kForward, after route(); valid until the next route() of this connection.
  ForwardTarget forward() const { return {rewritten_.target, host_override_, response_fields_}; }

 private:
  void choose_group(const Snapshot& snapshot, const ListenerRuntime& listener,
                    const router::Route& route, const router::Request& request, int worker,
                    Decision& decision);

  router::ConnectionInfo connection_;
  router::Rewritten rewritten_;
  std::string_view host_override_;
  std::string response_fields_;
};

}  // namespace tern::proxy
