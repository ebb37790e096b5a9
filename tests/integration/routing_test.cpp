// Listener rules and actions end to end (spec/config.md: "rules", actions, "Matching,
// exactly"): each request lands on the backend it must, and the backend saw the path
// (and Host) the rules decided; redirects, fixed responses, rewrites, weighted splits with
// group stickiness, reloads of rules, and rule errors named by file:line:col.
#include <map>
#include <regex>

#include "tests/integration/harness.hpp"

namespace tern::test {
namespace {

// Replaces every "{name}" in `text` by vars[name] (backend addresses in YAML templates).
std::string fill(std::string text, const std::map<std::string, std::string>& vars) {
  for (const auto& [name, value] : vars) {
    const std::string key = "{" + name + "}";
    for (size_t at = text.find(key); at != std::string::npos; at = text.find(key, at)) {
      text.replace(at, key.size(), value);
      at += value.size();
    }
  }
  return text;
}

// The ECS-fleet shape of DESIGN.md: host-based routing, /users and /products services, a
// header canary, a redirect, a maintenance page, and a default.
constexpr const char* kServices = R"yaml(workers: 2
listeners:
  - name: http
    bind: 127.0.0.1:0
    rules:
      - priority: 60
        conditions: { path_pattern: ["/maintenance"] }
        action:
          fixed_response: { status_code: 503, content_type: text/plain, message_body: "back soon" }
      - priority: 10
        conditions: { host_header: ["api.example.com", "*.api.example.com"] }
        action: { forward: { target_group: api } }
      - priority: 20
        conditions:
          path_pattern: ["/users", "/users/*"]
          http_header: { name: X-Canary, values: ["on"] }
        action: { forward: { target_group: users-canary } }
      - priority: 30
        conditions: { path_pattern: ["/users", "/users/*"] }
        action: { forward: { target_group: users } }
      - priority: 40
        conditions: { path_pattern: ["/products/*"], http_request_method: [GET, HEAD] }
        action: { forward: { target_group: products } }
      - priority: 50
        conditions: { path_pattern: ["/old/*"] }
        action: { redirect: { path: "/new/#{path}", status_code: HTTP_301 } }
    default_action: { forward: { target_group: app } }
target_groups:
  - { name: api, targets: [{api}] }
  - { name: users, targets: [{users}] }
  - { name: users-canary, targets: [{canary}] }
  - { name: products, targets: [{products}] }
  - { name: app, targets: [{app}] }
)yaml";

class Routing : public TernTest {
 protected:
  // Sends `request` on `c`; the response must come from `backend`, which must have seen
  // `seen` as the request-target.
  void expect_at(Client& c, const std::string& request, const Backend& backend,
                 const std::string& seen) {
    const size_t before = backend.request_count();
    const Response r = c.request(request);
    ASSERT_TRUE(r.ok()) << r.describe();
    EXPECT_EQ(r.header("X-Backend").value_or("(none)"), backend.name()) << request;
    ASSERT_EQ(backend.request_count(), before + 1) << request;
    EXPECT_EQ(backend.last_request()->target, seen) << request;
  }
};

TEST_F(Routing, EachRequestOfTheMultiServiceConfigLandsOnItsBackend) {
  Backend api("api"), users("users"), canary("users-canary"), products("products"), app("app");
  ASSERT_NO_FATAL_FAILURE(start_tern(fill(kServices, {{"api", api.address()},
                                                      {"users", users.address()},
                                                      {"canary", canary.address()},
                                                      {"products", products.address()},
                                                      {"app", app.address()}})));
  Client c(port_);
  expect_at(c, build_request("GET", "/users", {}), users, "/users");
  expect_at(c, build_request("GET", "/users/42?expand=1", {}), users, "/users/42?expand=1");
  expect_at(c, build_request("GET", "/users/42", {{"X-Canary", "ON"}}), canary, "/users/42");
  expect_at(c, build_request("GET", "/users/42", {{"X-Canary", "off"}}), users, "/users/42");
  expect_at(c, build_request("GET", "/products/7", {}), products, "/products/7");
  // The method condition: POST is not GET/HEAD, so the default action applies.
  expect_at(c, build_request("POST", "/products/7", {}, "x"), app, "/products/7");
  // /products/* needs something after the slash-star's slash: "/products" is not in it.
  expect_at(c, build_request("GET", "/products", {}), app, "/products");
  // Host rules come first (priority 10), whatever the path.
  expect_at(c, build_request("GET", "/users/1", {{"Host", "api.example.com"}}), api, "/users/1");
  expect_at(c, build_request("GET", "/v1/x", {{"Host", "eu.api.example.com"}}), api, "/v1/x");
  expect_at(c, build_request("GET", "/", {}), app, "/");
  expect_at(c, build_request("GET", "/elsewhere", {}), app, "/elsewhere");

  const Response moved = c.get("/old/page?x=1");
  EXPECT_EQ(moved.status, 301) << moved.describe();
  EXPECT_EQ(moved.header("Location"),
            "http://localhost:" + std::to_string(port_) + "/new/old/page?x=1");
  const Response down = c.get("/maintenance");
  EXPECT_EQ(down.status, 503) << down.describe();
  EXPECT_EQ(down.body, "back soon");
  EXPECT_EQ(down.header("Content-Type"), "text/plain");
  EXPECT_EQ(down.header("Server"), "tern");
  EXPECT_TRUE(down.header("Date").has_value());
  EXPECT_FALSE(down.closes()) << "a fixed response keeps the connection";
  // The same connection still forwards after the local answers.
  expect_at(c, build_request("GET", "/users/9", {}), users, "/users/9");
  EXPECT_EQ(api.request_count() + users.request_count() + canary.request_count() +
                products.request_count() + app.request_count(),
            12U)
      << "the redirect and the fixed response reached no backend";
}

TEST_F(Routing, PriorityOrderDecidesAndTheFirstMatchWins) {
  Backend low("low"), high("high"), other("other");
  // Written out of order on purpose: evaluation is by ascending priority.
  ASSERT_NO_FATAL_FAILURE(start_tern(
      fill(R"yaml(workers: 2
listeners:
  - name: http
    bind: 127.0.0.1:0
    rules:
      - priority: 200
        conditions: { path_pattern: ["/a/*"] }
        action: { forward: { target_group: other } }
      - priority: 7
        conditions: { path_pattern: ["/a/b"] }
        action: { forward: { target_group: high } }
      - priority: 100
        conditions: { path_pattern: ["/a/b", "/a/c"] }
        action: { forward: { target_group: low } }
    default_action: { fixed_response: { status_code: 404, message_body: "no route" } }
target_groups:
  - { name: low, targets: [{low}] }
  - { name: high, targets: [{high}] }
  - { name: other, targets: [{other}] }
)yaml",
           {{"low", low.address()}, {"high", high.address()}, {"other", other.address()}})));
  Client c(port_);
  expect_at(c, build_request("GET", "/a/b", {}), high, "/a/b");  // 7 beats 100 and 200
  expect_at(c, build_request("GET", "/a/c", {}), low, "/a/c");   // 100 beats 200
  expect_at(c, build_request("GET", "/a/d", {}), other, "/a/d");
  const Response none = c.get("/b");
  EXPECT_EQ(none.status, 404) << none.describe();
  EXPECT_EQ(none.body, "no route");
}

TEST_F(Routing, HostMatchesWithoutPortAndCaseAndWildcardsNeedTheirDot) {
  Backend api("api"), app("app");
  ASSERT_NO_FATAL_FAILURE(start_tern(fill(R"yaml(workers: 2
listeners:
  - name: http
    bind: 127.0.0.1:0
    rules:
      - priority: 1
        conditions: { host_header: ["api.example.com", "*.svc.example.com"] }
        action: { forward: { target_group: api } }
    default_action: { forward: { target_group: app } }
target_groups:
  - { name: api, targets: [{api}] }
  - { name: app, targets: [{app}] }
)yaml",
                                          {{"api", api.address()}, {"app", app.address()}})));
  Client c(port_);
  for (const char* host :
       {"api.example.com", "API.Example.COM", "api.example.com:8080", "Api.Example.Com:443",
        "api.example.com.", "a.svc.example.com", "x.y.SVC.example.com:81"}) {
    expect_at(c, build_request("GET", "/h", {{"Host", host}}), api, "/h");
    // Host is forwarded as the client sent it (spec: "Behaviour users rely on").
    EXPECT_EQ(api.last_request()->header("Host"), host);
  }
  for (const char* host :
       {"xapi.example.com", "svc.example.com", "api.example.com.evil", "localhost", "127.0.0.1"}) {
    expect_at(c, build_request("GET", "/h", {{"Host", host}}), app, "/h");
  }
  // Absolute-form: the authority is the host (RFC 9112 §3.2.2); the target gets origin-form.
  expect_at(c, "GET http://API.example.com:9/p?q=1 HTTP/1.1\r\nHost: other\r\n\r\n", api, "/p?q=1");
  EXPECT_EQ(api.last_request()->header("Host"), "API.example.com:9");
}

TEST_F(Routing, PathPatternsNeverSeeTheQuery) {
  Backend search("search"), users("users"), v2("v2"), app("app");
  ASSERT_NO_FATAL_FAILURE(start_tern(fill(R"yaml(workers: 2
listeners:
  - name: http
    bind: 127.0.0.1:0
    rules:
      - priority: 1
        conditions: { query_string: [{ key: version, value: "v2" }] }
        action: { forward: { target_group: v2 } }
      - priority: 2
        conditions: { path_pattern: ["/search"] }
        action: { forward: { target_group: search } }
      - priority: 3
        conditions: { path_pattern: ["/users/*"] }
        action: { forward: { target_group: users } }
    default_action: { forward: { target_group: app } }
target_groups:
  - { name: search, targets: [{search}] }
  - { name: users, targets: [{users}] }
  - { name: v2, targets: [{v2}] }
  - { name: app, targets: [{app}] }
)yaml",
                                          {{"search", search.address()},
                                           {"users", users.address()},
                                           {"v2", v2.address()},
                                           {"app", app.address()}})));
  Client c(port_);
  // "/search" is matched whole, whatever the query says.
  expect_at(c, build_request("GET", "/search?q=/users/1", {}), search, "/search?q=/users/1");
  expect_at(c, build_request("GET", "/search?", {}), search, "/search?");
  // A query that looks like a path never satisfies a path pattern.
  expect_at(c, build_request("GET", "/x?/users/1", {}), app, "/x?/users/1");
  expect_at(c, build_request("GET", "/users?id=1", {}), app, "/users?id=1");
  // Path matching is case-sensitive.
  expect_at(c, build_request("GET", "/Search", {}), app, "/Search");
  // The query is matched by query_string conditions only, case-insensitively.
  expect_at(c, build_request("GET", "/users/1?a=b&VERSION=V2", {}), v2, "/users/1?a=b&VERSION=V2");
  // Percent-encoded unreserved characters are decoded before matching and forwarding.
  expect_at(c, build_request("GET", "/%75sers/%31", {}), users, "/users/1");
}

TEST_F(Routing, NormalizedPathIsForwardedAndDotDotAboveRootIs400) {
  Backend users("users"), app("app");
  ASSERT_NO_FATAL_FAILURE(start_tern(fill(R"yaml(workers: 2
listeners:
  - name: http
    bind: 127.0.0.1:0
    rules:
      - priority: 1
        conditions: { path_pattern: ["/users/*"] }
        action: { forward: { target_group: users } }
    default_action: { forward: { target_group: app } }
target_groups:
  - { name: users, targets: [{users}] }
  - { name: app, targets: [{app}] }
)yaml",
                                          {{"users", users.address()}, {"app", app.address()}})));
  {
    Client c(port_);
    // The target sees what the rules saw: "/admin/../users/1" is "/users/1".
    expect_at(c, build_request("GET", "/admin/../users/./1", {}), users, "/users/1");
    expect_at(c, build_request("GET", "/users/../admin", {}), app, "/admin");
    expect_at(c, build_request("GET", "/users/a%2Fb", {}), users, "/users/a%2Fb");
  }
  for (const char* target : {"/..", "/../etc/passwd", "/users/../../x", "/a/%2e%2e/%2E%2E/b"}) {
    Client c(port_);
    const Response r = c.get(target);
    EXPECT_EQ(r.status, 400) << target << ": " << r.describe();
    EXPECT_EQ(r.header("Server"), "tern");
  }
  EXPECT_EQ(users.request_count() + app.request_count(), 3U) << "no 400 reached a backend";
}

TEST_F(Routing, WeightedSplitIsExactOverTenThousandRequests) {
  Backend stable("stable"), canary("canary");
  ASSERT_NO_FATAL_FAILURE(
      start_tern(fill(R"yaml(workers: 2
listeners:
  - name: http
    bind: 127.0.0.1:0
    default_action:
      forward:
        target_groups: [{ name: stable, weight: 90 }, { name: canary, weight: 10 }]
target_groups:
  - { name: stable, targets: [{stable}] }
  - { name: canary, targets: [{canary}] }
)yaml",
                      {{"stable", stable.address()}, {"canary", canary.address()}})));
  constexpr int kThreads = 4;
  constexpr int kPerThread = 2500;
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      // A few connections per thread, so that both workers take a share.
      std::unique_ptr<Client> c;
      for (int i = 0; i < kPerThread; ++i) {
        if (!c || i % 500 == 0) c = Client::try_connect(port_, Millis(2000));
        if (!c || c->get("/").status != 200) {
          ++failed;
          c.reset();
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  const double total = static_cast<double>(stable.request_count() + canary.request_count());
  ASSERT_EQ(total, kThreads * kPerThread);
  const double share = static_cast<double>(canary.request_count()) / total;
  std::cout << "[ split    ] canary " << canary.request_count() << " of " << total << "\n";
  EXPECT_NEAR(share, 0.10, 0.02);
}

TEST_F(Routing, WeightedSplitSpreadsPicksAndWeightZeroGetsNothing) {
  Backend a("a"), b("b"), off("off");
  ASSERT_NO_FATAL_FAILURE(
      start_tern(fill(R"yaml(workers: 2
listeners:
  - name: http
    bind: 127.0.0.1:0
    default_action:
      forward:
        target_groups: [{ name: a, weight: 3 }, { name: b, weight: 1 }, { name: off, weight: 0 }]
target_groups:
  - { name: a, targets: [{a}] }
  - { name: b, targets: [{b}] }
  - { name: off, targets: [{off}] }
)yaml",
                      {{"a", a.address()}, {"b", b.address()}, {"off", off.address()}})));
  // One connection stays on one worker, whose counter walks the smooth schedule exactly:
  // every run of four requests has three "a" and one "b".
  Client c(port_);
  for (int round = 0; round < 5; ++round) {
    int got_b = 0;
    for (int i = 0; i < 4; ++i) {
      const Response r = c.get("/");
      ASSERT_EQ(r.status, 200) << r.describe();
      got_b += r.header("X-Backend") == "b" ? 1 : 0;
    }
    EXPECT_EQ(got_b, 1) << "round " << round;
  }
  EXPECT_EQ(off.request_count(), 0U);
}

TEST_F(Routing, GroupStickinessHoldsAcrossRequestsWithTheCookie) {
  Backend blue("blue"), green("green");
  ASSERT_NO_FATAL_FAILURE(start_tern(fill(R"yaml(workers: 2
listeners:
  - name: http
    bind: 127.0.0.1:0
    rules:
      - priority: 1
        conditions: { path_pattern: ["/app/*"] }
        action:
          forward:
            target_groups: [{ name: blue, weight: 1 }, { name: green, weight: 1 }]
            stickiness: { enabled: true, duration: 1h }
    default_action: { forward: { target_group: blue } }
target_groups:
  - { name: blue, targets: [{blue}] }
  - { name: green, targets: [{green}] }
)yaml",
                                          {{"blue", blue.address()}, {"green", green.address()}})));
  const Response first = simple_get(port_, "/app/login");
  ASSERT_EQ(first.status, 404) << first.describe();  // the backend has no /app behaviour
  const std::string group = first.header("X-Backend").value_or("?");
  const auto set_cookie = first.header("Set-Cookie");
  ASSERT_TRUE(set_cookie.has_value()) << first.describe();
  std::smatch m;
  ASSERT_TRUE(std::regex_match(
      *set_cookie, m, std::regex(R"(AWSALBTG=([0-9a-f]{16}\.[0-9]+); Max-Age=3600; Path=/)")))
      << *set_cookie;
  const std::string cookie = "AWSALBTG=" + m[1].str();
  // With the cookie, every request (on fresh connections, either worker) stays on the
  // group, and no new cookie is set.
  for (int i = 0; i < 20; ++i) {
    const Response r = simple_get(port_, "/app/page/" + std::to_string(i),
                                  {{"Cookie", "session=abc; " + cookie + "; theme=dark"}});
    EXPECT_EQ(r.header("X-Backend"), group) << i;
    EXPECT_FALSE(r.header("Set-Cookie").has_value()) << i;
  }
  // Without it, the 1:1 split alternates on one connection, and each answer sets a cookie
  // naming the group that served it.
  Client c(port_);
  std::map<std::string, std::string> cookie_of;
  for (int i = 0; i < 4; ++i) {
    const Response r = c.get("/app/x");
    const std::string served = r.header("X-Backend").value_or("?");
    ASSERT_TRUE(r.header("Set-Cookie").has_value()) << r.describe();
    cookie_of[served] = r.header("Set-Cookie")->substr(0, r.header("Set-Cookie")->find(';'));
  }
  ASSERT_EQ(cookie_of.size(), 2U) << "both groups served without a cookie";
  const std::string other = group == "blue" ? "green" : "blue";
  EXPECT_EQ(simple_get(port_, "/app/y", {{"Cookie", cookie_of[other]}}).header("X-Backend"), other);
  // A forged or expired cookie is ignored: a fresh pick and a fresh cookie.
  const Response forged =
      simple_get(port_, "/app/z", {{"Cookie", "AWSALBTG=0123456789abcdef.99999999999"}});
  EXPECT_TRUE(forged.header("Set-Cookie").has_value()) << forged.describe();
  const std::string tag = m[1].str().substr(0, 16);
  const Response expired = simple_get(port_, "/app/z", {{"Cookie", "AWSALBTG=" + tag + ".1"}});
  EXPECT_TRUE(expired.header("Set-Cookie").has_value()) << expired.describe();
  // The default action has one group: no stickiness cookie there.
  EXPECT_FALSE(simple_get(port_, "/").header("Set-Cookie").has_value());
}

TEST_F(Routing, RedirectLocationFollowsAlb) {
  Backend app("app");
  ASSERT_NO_FATAL_FAILURE(start_tern(fill(R"yaml(workers: 2
listeners:
  - name: http
    bind: 127.0.0.1:0
    rules:
      - priority: 1
        conditions: { path_pattern: ["/secure/*"] }
        action: { redirect: { protocol: HTTPS, port: "443", status_code: HTTP_301 } }
      - priority: 2
        conditions: { path_pattern: ["/moved/*"] }
        action:
          redirect:
            host: "www.example.org"
            port: "80"
            path: "/to/#{path}"
            query: "from=#{host}&#{query}"
            status_code: HTTP_302
      - priority: 3
        conditions: { path_pattern: ["/keep/*"] }
        action: { redirect: { path: "/kept/#{path}", status_code: HTTP_301 } }
      - priority: 4
        conditions: { path_pattern: ["/tls/*"] }
        action: { redirect: { protocol: HTTPS, port: "8443", query: "", status_code: HTTP_302 } }
    default_action: { forward: { target_group: app } }
target_groups:
  - { name: app, targets: [{app}] }
)yaml",
                                          {{"app", app.address()}})));
  const std::string port = std::to_string(port_);
  Client c(port_);
  struct Case {
    std::string target;
    std::string host;
    int status;
    std::string location;
  };
  const std::vector<Case> cases = {
      // Default port of the protocol omitted; host as the rules see it (no port, lower case).
      {"/secure/a/b?x=1&y", "Shop.Example.COM:" + port, 301,
       "https://shop.example.com/secure/a/b?x=1&y"},
      {"/secure/", "localhost", 301, "https://localhost/secure/"},
      // #{path} has no leading slash; port 80 of http is omitted; no "?" for an empty query.
      {"/moved/p", "localhost", 302, "http://www.example.org/to/moved/p?from=localhost&"},
      {"/moved/p?q=2", "a.b", 302, "http://www.example.org/to/moved/p?from=a.b&q=2"},
      // #{port} is the listener's port: not a default one, so it is kept.
      {"/keep/x?", "localhost", 301, "http://localhost:" + port + "/kept/keep/x"},
      {"/tls/%7Euser", "h", 302, "https://h:8443/tls/~user"},
  };
  for (const Case& k : cases) {
    const Response r = c.get(k.target, {{"Host", k.host}});
    EXPECT_EQ(r.status, k.status) << k.target << " " << r.describe();
    EXPECT_EQ(r.header("Location").value_or("(none)"), k.location) << k.target;
    EXPECT_EQ(r.header("Server"), "tern");
    EXPECT_FALSE(r.closes()) << k.target;
  }
  // HEAD: the same head, no body.
  const Response head = c.request("HEAD /secure/h HTTP/1.1\r\nHost: x\r\n\r\n", head_request());
  EXPECT_EQ(head.status, 301) << head.describe();
  EXPECT_EQ(head.header("Location"), "https://x/secure/h");
  EXPECT_EQ(c.get("/secure/again").status, 301) << "the connection is still in sync";
  EXPECT_EQ(app.request_count(), 0U);
}

TEST_F(Routing, FixedResponseHasStatusTypeBodyAndKeepsTheConnection) {
  Backend app("app");
  ASSERT_NO_FATAL_FAILURE(start_tern(fill(R"yaml(workers: 2
listeners:
  - name: http
    bind: 127.0.0.1:0
    rules:
      - priority: 1
        conditions: { path_pattern: ["/health"] }
        action: { fixed_response: { status_code: 200, content_type: application/json, message_body: "{\"ok\":true}" } }
      - priority: 2
        conditions: { path_pattern: ["/empty"] }
        action: { fixed_response: { status_code: 429 } }
    default_action: { forward: { target_group: app } }
target_groups:
  - { name: app, targets: [{app}] }
)yaml",
                                          {{"app", app.address()}})));
  Client c(port_);
  const Response ok = c.get("/health");
  EXPECT_EQ(ok.status, 200) << ok.describe();
  EXPECT_EQ(ok.body, "{\"ok\":true}");
  EXPECT_EQ(ok.header("Content-Type"), "application/json");
  EXPECT_EQ(ok.header("Content-Length"), "11");
  const Response empty = c.get("/empty");
  EXPECT_EQ(empty.status, 429) << empty.describe();
  EXPECT_EQ(empty.body, "");
  EXPECT_EQ(empty.header("Content-Length"), "0");
  EXPECT_EQ(empty.header("Content-Type"), "text/plain");
  // A request with a body that arrived whole: answered, and the connection carries on.
  const Response post = c.request(build_request("POST", "/health", {}, std::string(1000, 'b')));
  EXPECT_EQ(post.status, 200) << post.describe();
  EXPECT_FALSE(post.closes());
  EXPECT_EQ(c.get("/").header("X-Backend"), "app");
  // HTTP/1.0: keep-alive only when asked for, and then announced.
  Client old(port_);
  const Response kept = old.request("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  EXPECT_EQ(kept.status, 200) << kept.describe();
  EXPECT_EQ(kept.header("Connection"), "keep-alive");
  const Response closed = old.request("GET /health HTTP/1.0\r\n\r\n");
  EXPECT_EQ(closed.status, 200) << closed.describe();
  EXPECT_TRUE(old.wait_closed(Millis(5000)));
  // A body still on its way is not waited for: the answer closes the connection.
  Client slow(port_);
  ASSERT_TRUE(slow.send("POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc"));
  const Response early = slow.read_response();
  EXPECT_EQ(early.status, 200) << early.describe();
  EXPECT_TRUE(early.closes());
  EXPECT_EQ(app.request_count(), 1U);
}

TEST_F(Routing, RewritesAreSeenAtTheBackend) {
  Backend users("users"), app("app");
  ASSERT_NO_FATAL_FAILURE(start_tern(fill(R"yaml(workers: 2
listeners:
  - name: http
    bind: 127.0.0.1:0
    rules:
      - priority: 1
        conditions: { path_pattern: ["/users/*"] }
        transforms:
          url_rewrite: { regex: "^/users/(.*)$", replace: "/v2/$1" }
          host_header_rewrite: { regex: "^(.*)\\.example\\.com$", replace: "$1.internal" }
        action: { forward: { target_group: users } }
      - priority: 2
        conditions: { path_pattern: ["/bad/*"] }
        transforms: { url_rewrite: { regex: "^/bad/(.*)$", replace: "$1" } }
        action: { forward: { target_group: users } }
      - priority: 3
        conditions: { path_pattern: ["/climb/*"] }
        transforms: { url_rewrite: { regex: "^/climb/(.*)$", replace: "/../$1" } }
        action: { forward: { target_group: users } }
    default_action: { forward: { target_group: app } }
target_groups:
  - { name: users, targets: [{users}] }
  - { name: app, targets: [{app}] }
)yaml",
                                          {{"users", users.address()}, {"app", app.address()}})));
  Client c(port_);
  // The rewrite sees path plus query; the port of Host is kept.
  expect_at(c, build_request("GET", "/users/42?full=1", {{"Host", "api.example.com:8080"}}), users,
            "/v2/42?full=1");
  EXPECT_EQ(users.last_request()->header("Host"), "api.internal:8080");
  // A host the regex does not match goes as sent.
  expect_at(c, build_request("GET", "/users/7", {{"Host", "Other.Host"}}), users, "/v2/7");
  EXPECT_EQ(users.last_request()->header("Host"), "Other.Host");
  // Rewrites do not re-route: /users/* matched, the new path goes to the same group.
  EXPECT_EQ(app.request_count(), 0U);

  // A rewrite whose result is not a valid target: 500, nothing forwarded, and the
  // connection stays usable.
  const size_t before = users.request_count();
  for (const char* target : {"/bad/x", "/climb/x"}) {
    const Response r = c.get(target);
    EXPECT_EQ(r.status, 500) << target << ": " << r.describe();
    EXPECT_EQ(r.header("Server"), "tern");
  }
  EXPECT_EQ(users.request_count(), before) << "a failed rewrite reached a backend";
  expect_at(c, build_request("GET", "/elsewhere", {}), app, "/elsewhere");
}

TEST_F(Routing, RuleChangeBySighupAppliesToTheNextRequestOnAnOpenConnection) {
  Backend one("one"), two("two");
  const std::string config = R"yaml(workers: 2
listeners:
  - name: http
    bind: 127.0.0.1:0
    rules:
      - priority: 1
        conditions: { path_pattern: ["/svc/*"] }
        action: { forward: { target_group: {group} } }
    default_action: { fixed_response: { status_code: 404 } }
target_groups:
  - { name: one, targets: [{one}] }
  - { name: two, targets: [{two}] }
)yaml";
  const std::map<std::string, std::string> vars = {{"one", one.address()}, {"two", two.address()}};
  auto with = [&](const std::string& group) {
    auto v = vars;
    v["group"] = group;
    return fill(config, v);
  };
  ASSERT_NO_FATAL_FAILURE(start_tern(with("one")));
  Client c(port_);
  expect_at(c, build_request("GET", "/svc/a", {}), one, "/svc/a");
  tern_->rewrite_config(with("two"));
  ASSERT_EQ(tern_->reload(), ReloadOutcome::kReloaded);
  expect_at(c, build_request("GET", "/svc/b", {}), two, "/svc/b");
  // Turned into a redirect: the open connection gets it on its next request.
  std::string redirected = with("two");
  redirected.replace(redirected.find("{ forward: { target_group: two } }"),
                     std::string("{ forward: { target_group: two } }").size(),
                     "{ redirect: { path: \"/v2/#{path}\", status_code: HTTP_302 } }");
  tern_->rewrite_config(redirected);
  ASSERT_EQ(tern_->reload(), ReloadOutcome::kReloaded);
  const Response r = c.get("/svc/c");
  EXPECT_EQ(r.status, 302) << r.describe();
  EXPECT_EQ(r.header("Location"), "http://localhost:" + std::to_string(port_) + "/v2/svc/c");

  // An invalid regex is rejected by the reload with its position, and the rules stay.
  const size_t mark = tern_->mark();
  std::string bad = with("one");
  bad.replace(bad.find("[\"/svc/*\"]"), std::string("[\"/svc/*\"]").size(),
              "{ regex_values: [\"^/svc/(\"] }");
  tern_->rewrite_config(bad);
  EXPECT_EQ(tern_->reload(), ReloadOutcome::kRejected);
  EXPECT_TRUE(tern_->wait_for_line(tern_->config_path() + ":7:", Millis(2000), mark))
      << tern_->log();
  EXPECT_EQ(c.get("/svc/d").status, 302);
  EXPECT_EQ(one.request_count(), 1U);
}

// --check names every rule error with FILE:LINE:COL (the loader's and the rule compiler's).
TEST(RoutingCheck, RuleErrorsNameFileLineAndColumn) {
  TempDir dir;
  const std::string path = dir.write("rules.yaml", R"yaml(listeners:
  - name: http
    bind: 127.0.0.1:0
    rules:
      - priority: 5
        conditions: { path_pattern: ["/a"] }
        action: { forward: { target_group: app } }
      - priority: 5
        conditions: { path_pattern: ["/b"] }
        action: { forward: { target_group: nope } }
      - priority: 6
        conditions: { host_header: ["bad host"] }
        action: { forward: { target_group: app } }
      - priority: 7
        conditions: { path_pattern: { regex_values: ["^/v[0-9+$"] } }
        action: { forward: { target_group: app } }
      - priority: 8
        conditions: { path_pattern: ["/loop/*"] }
        action: { redirect: { query: "x=1", status_code: HTTP_301 } }
      - priority: 9
        conditions: { path_pattern: ["/r/*"] }
        transforms: { url_rewrite: { regex: "^/r/(.*)$", replace: "/$2" } }
        action: { forward: { target_group: app } }
    default_action: { forward: { target_group: app } }
target_groups:
  - name: app
    targets: [127.0.0.1:9000]
)yaml");
  CommandResult r = run_tern({"--check", "--config", path});
  EXPECT_EQ(r.exit_code, 1) << r.output();
  const std::string out = r.output();
  EXPECT_NE(out.find(path + ":8:9: priority: 5 is already used"), std::string::npos) << out;
  EXPECT_NE(out.find(path + ":10:44: target group 'nope' does not exist"), std::string::npos)
      << out;
  EXPECT_NE(out.find(path + ":12:37: host_header: invalid value 'bad host'"), std::string::npos)
      << out;
  EXPECT_NE(out.find(path + ":19:29: redirect: the target is the request's own URL"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("configuration OK"), std::string::npos) << out;

  // The regexes are checked once the loader is content (they compile with the rules).
  const std::string regex_path = dir.write("regex.yaml", R"yaml(listeners:
  - name: http
    bind: 127.0.0.1:0
    rules:
      - priority: 7
        conditions: { path_pattern: { regex_values: ["^/v[0-9+$"] } }
        action: { forward: { target_group: app } }
      - priority: 9
        conditions: { path_pattern: ["/r/*"] }
        transforms: { url_rewrite: { regex: "^/r/(.*)$", replace: "/$2" } }
        action: { forward: { target_group: app } }
    default_action: { forward: { target_group: app } }
target_groups:
  - name: app
    targets: [127.0.0.1:9000]
)yaml");
  r = run_tern({"--check", "--config", regex_path});
  EXPECT_EQ(r.exit_code, 1) << r.output();
  EXPECT_TRUE(std::regex_search(r.output(), std::regex(regex_path + ":6:[0-9]+: .*regex")))
      << r.output();
  EXPECT_TRUE(std::regex_search(r.output(), std::regex(regex_path + ":10:[0-9]+: "))) << r.output();
  EXPECT_EQ(r.output().find("configuration OK"), std::string::npos) << r.output();
  // The same file does not start.
  const CommandResult start = run_tern({"--config", regex_path});
  EXPECT_EQ(start.exit_code, 1) << start.output();
  EXPECT_NE(start.output().find(regex_path + ":6:"), std::string::npos) << start.output();
}

}  // namespace
}  // namespace tern::test
