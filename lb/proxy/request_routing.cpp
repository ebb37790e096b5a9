#include "lb/proxy/request_routing.hpp"

#include <ctime>

#include "lb/http/request_target.hpp"

namespace tern::proxy {

using core::FinishReason;
using Kind = RequestRouting::Decision::Kind;

RequestRouting::Decision RequestRouting::route(const Snapshot& snapshot,
                                               const ListenerRuntime& listener,
                                               const http::MessageHead& head, const char* base,
                                               int worker, RoutingScratch& scratch) {
  Decision decision;
  host_override_ = {};
  response_fields_.clear();
  connection_.listener_port = listener.port;
  connection_.https = listener.https;
  // A path that climbs above the root or carries a bad escape: 400 (spec: "Matching,
  // exactly"); the rules never see it.
  router::Request& request = scratch.request;
  if (router::prepare_request(head, base, connection_, scratch.request_scratch, request) !=
      router::PrepareStatus::kOk) {
    return decision;
  }
  if (!listener.rules) {
    decision.reason = FinishReason::kNoRoute;  // not built without rules; defensive
    return decision;
  }
  const router::Route& route = listener.rules->match(request);
  decision.route = &route;
  switch (route.action.type) {
    case config::Action::Type::kRedirect:
      decision.kind = Kind::kLocal;
      decision.reason = FinishReason::kRedirect;
      return decision;
    case config::Action::Type::kFixedResponse:
      decision.kind = Kind::kLocal;
      decision.reason = FinishReason::kFixedResponse;
      return decision;
    case config::Action::Type::kForward:
      break;
  }
  // Transforms run after routing and never change the route (ALB answers 500 when a
  // rewrite's result is not a valid request).
  if (route.transforms.apply(request, rewritten_) != router::TransformStatus::kOk) {
    decision.kind = Kind::kLocal;
    decision.reason = FinishReason::kRewriteFailed;
    return decision;
  }
  if (rewritten_.host_rewritten) {
    host_override_ = rewritten_.host;
  } else {
    // An absolute-form target goes out in origin-form with Host from its authority
    // (RFC 9112 §3.2.2).
    const std::string_view raw = head.target.view(base);
    if (!raw.empty() && raw.front() != '/' && raw != "*") {
      const http::RequestTarget target = http::parse_request_target(raw);
      if (target.form == http::RequestTarget::Form::kAbsolute) host_override_ = target.authority;
    }
  }
  choose_group(snapshot, listener, route, request, worker, decision);
  return decision;
}

void RequestRouting::choose_group(const Snapshot& snapshot, const ListenerRuntime& listener,
                                  const router::Route& route, const router::Request& request,
                                  int worker, Decision& decision) {
  const router::ForwardPlan& plan = route.action.forward;
  size_t chosen = 0;
  if (plan.groups.size() > 1) {
    const int64_t now = static_cast<int64_t>(std::time(nullptr));
    const router::ForwardPlan::Choice choice =
        plan.choose(request, listener.picks->at(worker, route.index), now);
    chosen = choice.group;
    if (choice.set_cookie) {
      // ALB's group stickiness cookie, and on HTTPS listeners its CORS twin.
      response_fields_.append("Set-Cookie: ");
      plan.append_set_cookie(chosen, now, false, response_fields_);
      response_fields_.append("\r\n");
      if (listener.https) {
        response_fields_.append("Set-Cookie: ");
        plan.append_set_cookie(chosen, now, true, response_fields_);
        response_fields_.append("\r\n");
      }
    }
  }
  const uint32_t id = plan.groups.empty() ? UINT32_MAX : plan.groups[chosen].id;
  if (id >= snapshot.target_groups.size()) {
    decision.reason = FinishReason::kNoRoute;  // the builder resolves every name; defensive
    return;
  }
  decision.kind = Kind::kForward;
  decision.reason = FinishReason::kOk;
  decision.group = snapshot.target_groups[id].get();
}

}  // namespace tern::proxy
