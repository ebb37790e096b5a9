// What a matched rule (or the default action) tells the proxy to do, compiled from
// config::Action: forward to one target group or a weighted split, redirect, or answer a
// fixed response. Redirects and fixed responses come out as plain data for the proxy to
// send; nothing here does I/O.
//
// Thread affinity: built on the control thread, then immutable and read by every worker
// concurrently; the per-worker state of a weighted pick is a counter the caller owns.
// Ownership: values, owned by a Route inside CompiledRules.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "lb/router/request.hpp"
#include "lb/router/weighted.hpp"

namespace tern::router {

// Names of ALB's group-stickiness cookies (spec: "Stickiness cookies"). The CORS twin is
// the same value with SameSite=None; Secure, set on HTTPS listeners only.
inline constexpr std::string_view kGroupCookie = "AWSALBTG";
inline constexpr std::string_view kGroupCorsCookie = "AWSALBTGCORS";

struct TargetGroupRef {
  std::string name;
  int weight = 1;
  uint32_t id = UINT32_MAX;  // from the resolver given to CompiledRules::compile
  uint64_t cookie_tag = 0;   // identifies the group in an AWSALBTG value
};

class ForwardPlan {
 public:
  static ForwardPlan compile(const config::ForwardAction& forward);

  std::vector<TargetGroupRef> groups;
  WeightedSchedule schedule;
  bool stickiness_enabled = false;
  std::chrono::seconds stickiness_duration{3600};

  struct Choice {
    size_t group = 0;         // index into `groups`
    bool set_cookie = false;  // send Set-Cookie: AWSALBTG (cookie_value) with the response
  };

  // Picks the group for one request. With stickiness, a valid AWSALBTG cookie naming a
  // group of this action (even one whose weight is now 0: stickiness exists to let
  // sessions finish) wins; otherwise the weighted schedule decides and `sequence` (a
  // per-worker counter for this route, see Route::index) advances. `now` is Unix time in
  // seconds.
  Choice choose(const Request& request, uint64_t& sequence, int64_t now_unix) const;

  // Weighted pick alone: a pure function of the sequence number.
  size_t pick(uint64_t sequence) const { return schedule.pick(sequence); }

  // AWSALBTG value naming `group`, valid for stickiness_duration from `now_unix`:
  // "<16 hex: group tag>.<expiry, Unix seconds>". It is not secret: it only lets a client
  // choose among the groups this very action forwards to.
  std::string cookie_value(size_t group, int64_t now_unix) const;
  // The group an AWSALBTG value names, if it is one of ours and not expired.
  std::optional<size_t> group_from_cookie(std::string_view value, int64_t now_unix) const;
  // A Set-Cookie value: "AWSALBTG=<value>; Max-Age=<duration>; Path=/", or for the CORS
  // twin ("AWSALBTGCORS") the same plus "; SameSite=None; Secure".
  std::string set_cookie(std::string_view value, bool cors) const;
  // set_cookie(cookie_value(group, now_unix), cors) appended to `out`, without allocating
  // once `out` has grown (the proxy's per-request path).
  void append_set_cookie(size_t group, int64_t now_unix, bool cors, std::string& out) const;

 private:
  void append_cookie_value(size_t group, int64_t now_unix, std::string& out) const;
  void append_set_cookie_value(std::string_view value, bool cors, std::string& out) const;
};

// The attributes of tern's stickiness cookies (AWSALBTG, AWSALB, AWSALBAPP): "; Max-Age=N;
// Path=/", and for a CORS twin (HTTPS listeners) also "; SameSite=None; Secure".
void append_cookie_attributes(std::chrono::seconds max_age, bool cors, std::string& out);

// The value of cookie `name` in one Cookie line ("a=1; b=2", RFC 6265 §4.2.1).
std::optional<std::string_view> find_cookie(std::string_view cookie_line, std::string_view name);

struct FixedResponse {
  int status = 200;
  std::string content_type = "text/plain";
  std::string body;
};

struct Action {
  config::Action::Type type = config::Action::Type::kForward;
  ForwardPlan forward;              // kForward
  config::RedirectAction redirect;  // kRedirect: see build_redirect
  FixedResponse fixed_response;     // kFixedResponse
};

// The Location of a redirect (spec: "redirect"): placeholders #{protocol} ("http" or
// "https" of the listener), #{host} (the host as rules see it), #{port} (the listener
// port), #{path} (the normalized path without its leading '/') and #{query} (without
// '?') are substituted in every component; the port is left out when it is the
// protocol's default (80, 443); "?query" only when the query is not empty. Returns false
// when the resulting host is empty (an HTTP/1.0 request without Host): answer 400.
bool build_redirect(const config::RedirectAction& redirect, const Request& request,
                    std::string& location);

}  // namespace tern::router
