// The routing step of a stream (RequestRouting) and the replies tern composes for local
// actions (encode_action_reply), on configs loaded from YAML and requests parsed by tern's
// own parser: what is forwarded where, with which target, Host and Set-Cookie; what is
// answered locally; per-worker weighted picks.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "config/loader.hpp"
#include "lb/http/parser.hpp"
#include "lb/proxy/local_action.hpp"
#include "lb/proxy/pick_counters.hpp"
#include "lb/proxy/request_routing.hpp"

namespace tern::proxy {
namespace {

using Kind = RequestRouting::Decision::Kind;
using core::FinishReason;

constexpr std::string_view kDate = "Sun, 06 Nov 1994 08:49:37 GMT";
constexpr int kWorkers = 2;

constexpr const char* kConfig = R"yaml(listeners:
  - name: l
    bind: 127.0.0.1:8080
    rules:
      - priority: 1
        conditions: { path_pattern: ["/split/*"] }
        action:
          forward:
            target_groups: [{ name: a, weight: 3 }, { name: b, weight: 1 }]
      - priority: 2
        conditions: { path_pattern: ["/sticky/*"] }
        action:
          forward:
            target_groups: [{ name: a }, { name: b }]
            stickiness: { enabled: true, duration: 60 }
      - priority: 3
        conditions: { path_pattern: ["/rw/*"] }
        transforms:
          url_rewrite: { regex: "^/rw/(.*)$", replace: "/$1" }
          host_header_rewrite: { regex: "^www\\.(.*)$", replace: "$1" }
        action: { forward: { target_group: b } }
      - priority: 4
        conditions: { path_pattern: ["/broken/*"] }
        transforms: { url_rewrite: { regex: "^/broken/(.*)$", replace: "$1" } }
        action: { forward: { target_group: b } }
      - priority: 5
        conditions: { path_pattern: ["/old/*"] }
        action: { redirect: { protocol: HTTPS, port: "443", path: "/new/#{path}", status_code: HTTP_302 } }
      - priority: 6
        conditions: { path_pattern: ["/down"] }
        action: { fixed_response: { status_code: 503, content_type: text/html, message_body: "<p>later</p>" } }
    default_action: { forward: { target_group: a } }
target_groups: [{ name: a }, { name: b }]
)yaml";

// A snapshot with the listener of kConfig, built like app/snapshot_builder does.
class Routing : public testing::Test {
 protected:
  void SetUp() override {
    auto loaded = config::load_string(kConfig, "t.yaml");
    ASSERT_TRUE(loaded.config) << (loaded.errors.empty() ? "" : loaded.errors[0].to_string());
    const config::Config& cfg = *loaded.config;
    std::map<std::string, uint32_t, std::less<>> ids;
    for (const auto& g : cfg.target_groups) {
      ids[g.name] = static_cast<uint32_t>(snapshot_.target_groups.size());
      snapshot_.target_groups.push_back(std::make_shared<upstream::TargetGroup>(
          g.name, std::vector<std::shared_ptr<upstream::Target>>{}, kWorkers));
    }
    auto compiled = router::CompiledRules::compile(
        cfg.listeners[0], [&](std::string_view name) { return ids.find(name)->second; });
    ASSERT_TRUE(compiled.errors.empty()) << compiled.errors[0].message;
    ListenerRuntime rt;
    rt.port = 8080;
    rt.rules = compiled.rules;
    std::unique_ptr<bool[]> weighted(new bool[rt.rules->size()]);
    for (size_t r = 0; r < rt.rules->size(); ++r) {
      weighted[r] = rt.rules->routes()[r].action.forward.groups.size() > 1;
    }
    rt.picks = std::make_unique<PickCounters>(
        kWorkers, std::span<const bool>(weighted.get(), rt.rules->size()));
    snapshot_.listeners.push_back(std::move(rt));
  }

  // Parses `head` (a whole request head) and routes it for `worker`.
  RequestRouting::Decision route(const std::string& head, int worker = 0, bool https = false) {
    wire_ = head;
    parser_.start();
    auto r = parser_.feed(wire_.data(), 0, wire_.size());
    EXPECT_EQ(r.event, http::Parser::Event::kHeadComplete) << parser_.error_reason();
    snapshot_.listeners[0].https = https;
    return routing_.route(snapshot_, snapshot_.listeners[0], parser_.head(), wire_.data(), worker,
                          scratch_);
  }

  std::string group_of(const RequestRouting::Decision& d) {
    return d.group == nullptr ? "(none)" : d.group->name();
  }

  Snapshot snapshot_;
  std::string wire_;
  http::Parser parser_{http::Parser::Kind::kRequest};
  RequestRouting routing_;
  RoutingScratch scratch_;
};

std::string get(const std::string& target, const std::string& extra = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: Www.Example.com:8080\r\n" + extra + "\r\n";
}

TEST_F(Routing, DefaultForwardSendsTheNormalizedTargetAndHostAsSent) {
  auto d = route(get("/a/./b/../c%7e?x=%41"));
  ASSERT_EQ(d.kind, Kind::kForward);
  EXPECT_EQ(d.reason, FinishReason::kOk);
  EXPECT_EQ(group_of(d), "a");
  EXPECT_TRUE(d.route->is_default);
  EXPECT_EQ(routing_.forward().target, "/a/c~?x=%41");  // the query is not normalized
  EXPECT_EQ(routing_.forward().host_override, "");
  EXPECT_EQ(routing_.forward().response_fields, "");
}

TEST_F(Routing, AbsoluteFormGoesOutInOriginFormWithTheAuthority) {
  auto d = route("GET http://Other.example:81?q HTTP/1.1\r\nHost: ignored\r\n\r\n");
  ASSERT_EQ(d.kind, Kind::kForward);
  EXPECT_EQ(routing_.forward().target, "/?q");
  EXPECT_EQ(routing_.forward().host_override, "Other.example:81");
}

TEST_F(Routing, PathAboveTheRootIsRejected) {
  for (const char* target : {"/..", "/a/../../b", "/%2e%2e/x", "/bad%zz"}) {
    auto d = route(get(target));
    EXPECT_EQ(d.kind, Kind::kReject) << target;
    EXPECT_EQ(d.reason, FinishReason::kBadRequest) << target;
  }
}

TEST_F(Routing, WeightedPicksArePerWorkerAndExactPerPeriod) {
  for (int worker = 0; worker < kWorkers; ++worker) {
    std::map<std::string, int> seen;
    for (int i = 0; i < 40; ++i) ++seen[group_of(route(get("/split/x"), worker))];
    EXPECT_EQ(seen["a"], 30) << worker;
    EXPECT_EQ(seen["b"], 10) << worker;
  }
  // A counter of one worker does not move the other's: worker 1 continues its own period.
  std::string order0, order1;
  for (int i = 0; i < 4; ++i) order0 += group_of(route(get("/split/x"), 0));
  for (int i = 0; i < 4; ++i) order1 += group_of(route(get("/split/x"), 1));
  EXPECT_EQ(order0, order1);
}

TEST_F(Routing, StickinessSetsTheCookieAndFollowsIt) {
  auto first = route(get("/sticky/1"));
  ASSERT_EQ(first.kind, Kind::kForward);
  const std::string fields(routing_.forward().response_fields);
  ASSERT_EQ(fields.rfind("Set-Cookie: AWSALBTG=", 0), 0u) << fields;
  EXPECT_NE(fields.find("; Max-Age=60; Path=/\r\n"), std::string::npos) << fields;
  EXPECT_EQ(fields.find("AWSALBTGCORS"), std::string::npos) << "HTTP listener: no CORS twin";
  const std::string cookie = fields.substr(12, fields.find(';') - 12);
  const std::string group = group_of(first);
  for (int i = 0; i < 6; ++i) {
    auto d = route(get("/sticky/2", "Cookie: a=1; " + cookie + "\r\n"), i % kWorkers);
    EXPECT_EQ(group_of(d), group) << i;
    EXPECT_EQ(routing_.forward().response_fields, "") << i;
  }
  // HTTPS listeners add the CORS twin.
  route(get("/sticky/3"), 0, true);
  const std::string both(routing_.forward().response_fields);
  EXPECT_NE(both.find("\r\nSet-Cookie: AWSALBTGCORS="), std::string::npos) << both;
  EXPECT_NE(both.find("; SameSite=None; Secure\r\n"), std::string::npos) << both;
}

TEST_F(Routing, TransformsRewriteTargetAndHostOrFail) {
  auto d = route(get("/rw/x/y?z=1"));
  ASSERT_EQ(d.kind, Kind::kForward);
  EXPECT_EQ(group_of(d), "b");
  EXPECT_EQ(routing_.forward().target, "/x/y?z=1");
  EXPECT_EQ(routing_.forward().host_override, "example.com:8080");
  auto broken = route(get("/broken/x"));
  EXPECT_EQ(broken.kind, Kind::kLocal);
  EXPECT_EQ(broken.reason, FinishReason::kRewriteFailed);
}

TEST_F(Routing, LocalActionsAreEncodedCompletely) {
  LocalScratch scratch;
  std::string out;
  auto redirect = route(get("/old/p?q=1"));
  ASSERT_EQ(redirect.kind, Kind::kLocal);
  ASSERT_EQ(redirect.reason, FinishReason::kRedirect);
  EXPECT_EQ(
      encode_action_reply(redirect.reason, *redirect.route, scratch_.request, kDate,
                          {.close = false, .client_http10 = false, .head = false}, scratch, out),
      FinishReason::kRedirect);
  const std::string body =
      "<html><head><title>302 Found</title></head><body><h1>302 Found</h1>"
      "</body></html>\n";
  EXPECT_EQ(out, "HTTP/1.1 302 Found\r\nServer: tern\r\nDate: " + std::string(kDate) +
                     "\r\nLocation: https://www.example.com/new/old/p?q=1\r\nContent-Type: "
                     "text/html\r\nContent-Length: " +
                     std::to_string(body.size()) + "\r\n\r\n" + body);

  auto fixed = route(get("/down"));
  ASSERT_EQ(fixed.reason, FinishReason::kFixedResponse);
  encode_action_reply(fixed.reason, *fixed.route, scratch_.request, kDate,
                      {.close = true, .client_http10 = false, .head = true}, scratch, out);
  EXPECT_EQ(out, "HTTP/1.1 503 Service Unavailable\r\nServer: tern\r\nDate: " + std::string(kDate) +
                     "\r\nContent-Type: text/html\r\nContent-Length: 12\r\nConnection: "
                     "close\r\n\r\n");

  auto failed = route(get("/broken/y"));
  encode_action_reply(failed.reason, *failed.route, scratch_.request, kDate,
                      {.close = false, .client_http10 = true, .head = false}, scratch, out);
  EXPECT_EQ(out,
            "HTTP/1.1 500 Internal Server Error\r\nServer: tern\r\nDate: " + std::string(kDate) +
                "\r\nContent-Type: text/plain\r\nContent-Length: 26\r\nConnection: "
                "keep-alive\r\n\r\n500 Internal Server Error\n");

  // An HTTP/1.0 request without Host has no host to redirect to: 400.
  auto nohost = route("GET /old/x HTTP/1.0\r\n\r\n");
  ASSERT_EQ(nohost.reason, FinishReason::kRedirect);
  EXPECT_EQ(
      encode_action_reply(nohost.reason, *nohost.route, scratch_.request, kDate, {}, scratch, out),
      FinishReason::kBadRequest);
  EXPECT_EQ(out.rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u) << out;
  EXPECT_NE(out.find("Connection: close\r\n"), std::string::npos) << out;
}

TEST(PickCounters, OnlyWeightedRoutesGetTheirOwnSlotPerWorker) {
  const bool weighted[] = {false, true, false, true};
  PickCounters counters(3, weighted);
  for (int w = 0; w < 3; ++w) {
    counters.at(w, 1) = 10 + w;
    counters.at(w, 3) = 20 + w;
  }
  for (int w = 0; w < 3; ++w) {
    EXPECT_EQ(counters.at(w, 1), 10u + w);
    EXPECT_EQ(counters.at(w, 3), 20u + w);
    EXPECT_NE(&counters.at(w, 1), &counters.at(w, 3));
    // Unweighted routes share the worker's spare slot; out-of-range routes too.
    EXPECT_EQ(&counters.at(w, 0), &counters.at(w, 2));
    EXPECT_EQ(&counters.at(w, 0), &counters.at(w, 99));
  }
  // Workers never share a cache line.
  const auto line = [](const uint64_t* p) { return reinterpret_cast<uintptr_t>(p) / 64; };
  EXPECT_NE(line(&counters.at(0, 3)), line(&counters.at(1, 0)));
  EXPECT_NE(line(&counters.at(1, 3)), line(&counters.at(2, 0)));
}

}  // namespace
}  // namespace tern::proxy
