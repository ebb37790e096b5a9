// The admin endpoints end to end through Router::dispatch with fake hooks: the token in
// front of every call that changes state (and only those), unknown groups, bad bodies that
// never reach a hook, the exact targets a hook gets, one group's listing, unset hooks.
#include "lb/admin/routes.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tern::admin {
namespace {

namespace ip = boost::asio::ip;

constexpr std::string_view kBody = R"({"targets":[{"id":"10.0.1.5","port":8000},{"id":"::1"}]})";
constexpr std::string_view kAppListing =
    R"({"TargetGroups":[{"TargetGroupName":"app","LoadBalancingAlgorithm":"round_robin",)"
    R"("FailOpen":false,"TargetHealthDescriptions":[{"Target":{"Id":"10.0.1.5","Port":8000},)"
    R"("TargetHealth":{"State":"initial","Reason":"Elb.InitialHealthChecking"}}]}]})";

std::string header(const Response& r, std::string_view name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return "<none>";
}

TargetGroupView app_view() {
  return {"app",
          "round_robin",
          false,
          {{"10.0.1.5", 8000, "", "initial", "Elb.InitialHealthChecking", ""}}};
}

struct Call {
  std::string group;
  std::vector<TargetAddress> targets;
};

class RoutesTest : public ::testing::Test {
 protected:
  // Hooks that record their calls; group "app" (port 9000) and "noport" exist.
  Handlers hooks(std::string token) {
    Handlers h;
    h.token = std::move(token);
    h.target_groups = [] { return std::vector<TargetGroupView>{app_view()}; };
    h.target_group = [this](std::string_view name) -> std::optional<TargetGroupView> {
      ++group_calls;
      if (name != "app") return std::nullopt;
      return app_view();
    };
    h.group_info = [this](std::string_view name) -> std::optional<Handlers::GroupInfo> {
      ++info_calls;
      if (name == "app") return Handlers::GroupInfo{9000};
      if (name == "noport") return Handlers::GroupInfo{};
      return std::nullopt;
    };
    h.register_targets = [this](std::string_view group, std::vector<TargetAddress> targets) {
      registered.push_back({std::string(group), std::move(targets)});
      return json_response(200, R"({"registered":true})");
    };
    h.deregister_targets = [this](std::string_view group, std::vector<TargetAddress> targets) {
      deregistered.push_back({std::string(group), std::move(targets)});
      if (group == "noport") return error_response(409, "10.0.0.1:80 is in the file");
      return json_response(200, R"({"deregistered":true})");
    };
    return h;
  }

  void install(std::string token) { add_routes(router, hooks(std::move(token))); }

  Response call(std::string_view method, std::string_view path, std::string_view body = {},
                std::string_view authorization = {}) {
    Request r;
    r.method = method;
    r.target = path;
    r.path = path;
    r.body = body;
    if (!authorization.empty()) r.headers.emplace_back("Authorization", authorization);
    return router.dispatch(r);
  }

  bool no_hook_called() const {
    return info_calls == 0 && registered.empty() && deregistered.empty();
  }

  Router router;
  int group_calls = 0;
  int info_calls = 0;
  std::vector<Call> registered;
  std::vector<Call> deregistered;
};

// ---- the token --------------------------------------------------------------------------

TEST_F(RoutesTest, MissingTokenIs401AndNoHookRuns) {
  install("s3cret");
  for (std::string_view method : {"POST", "DELETE"}) {
    Response r = call(method, "/v1/target-groups/app/targets", kBody);
    EXPECT_EQ(r.status, 401) << method;
    EXPECT_EQ(header(r, "WWW-Authenticate"), "Bearer");
    EXPECT_EQ(r.body, R"({"error":"this call needs \"Authorization: Bearer <token>\""})");
  }
  EXPECT_TRUE(no_hook_called());
}

TEST_F(RoutesTest, WrongTokenOrSchemeIs401AndNoHookRuns) {
  install("s3cret");
  for (std::string_view auth :
       {"Bearer s3cre", "Bearer s3cret2", "Basic czNjcmV0", "s3cret", "Bearer  s3cret"}) {
    Response r = call("POST", "/v1/target-groups/app/targets", kBody, auth);
    EXPECT_EQ(r.status, 401) << auth;
    EXPECT_EQ(header(r, "WWW-Authenticate"), "Bearer");
    EXPECT_EQ(r.body, R"({"error":"Authorization does not carry the admin token"})");
  }
  // Even an unknown group or a bad body answers 401 first: nothing is looked at.
  EXPECT_EQ(call("POST", "/v1/target-groups/nope/targets", "x", "Bearer no").status, 401);
  EXPECT_EQ(call("DELETE", "/v1/target-groups/app/targets", "x").status, 401);
  EXPECT_TRUE(no_hook_called());
}

TEST_F(RoutesTest, RightTokenPasses) {
  install("s3cret");
  EXPECT_EQ(call("POST", "/v1/target-groups/app/targets", kBody, "Bearer s3cret").status, 200);
  EXPECT_EQ(call("POST", "/v1/target-groups/app/targets", kBody, "bearer s3cret").status, 200);
  EXPECT_EQ(registered.size(), 2u);
}

TEST_F(RoutesTest, ReadsStayOpenWithAToken) {
  install("s3cret");
  EXPECT_EQ(call("GET", "/healthz").status, 200);
  EXPECT_EQ(call("GET", "/v1/target-groups").status, 200);
  EXPECT_EQ(call("HEAD", "/v1/target-groups").status, 200);
  EXPECT_EQ(call("GET", "/v1/target-groups/app").status, 200);
  EXPECT_EQ(call("HEAD", "/v1/target-groups/app").status, 200);
  // A wrong token on a read is not looked at either.
  EXPECT_EQ(call("GET", "/v1/target-groups/app", {}, "Bearer wrong").status, 200);
}

TEST_F(RoutesTest, WithoutATokenChangesNeedNoAuthorization) {
  install("");
  Response r = call("POST", "/v1/target-groups/app/targets", kBody);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(registered.size(), 1u);
}

TEST(Guarded, AGuardedRouteAddedLaterUsesTheSameCheck) {
  // What POST /v1/ecs/events will do.
  Router router;
  int calls = 0;
  router.add({"POST"}, "/v1/ecs/events", guarded("s3cret", [&](const Request&) {
               ++calls;
               return json_response(200, "{}");
             }));
  Request r;
  r.method = "POST";
  r.path = "/v1/ecs/events";
  Response out = router.dispatch(r);
  EXPECT_EQ(out.status, 401);
  EXPECT_EQ(header(out, "WWW-Authenticate"), "Bearer");
  EXPECT_EQ(calls, 0);
  r.headers.emplace_back("authorization", "Bearer s3cret");
  EXPECT_EQ(router.dispatch(r).status, 200);
  EXPECT_EQ(calls, 1);
}

TEST(Guarded, AnEmptyTokenGuardsNothing) {
  int calls = 0;
  Router::Handler h = guarded("", [&](const Request&) {
    ++calls;
    return Response{};
  });
  EXPECT_EQ(h(Request{}).status, 200);
  EXPECT_EQ(calls, 1);
}

// ---- register and deregister ------------------------------------------------------------

TEST_F(RoutesTest, RegisterPassesExactlyTheParsedTargets) {
  install("s3cret");
  Response r = call("POST", "/v1/target-groups/app/targets", kBody, "Bearer s3cret");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"registered":true})");  // the hook's answer, as it is
  ASSERT_EQ(registered.size(), 1u);
  EXPECT_EQ(registered[0].group, "app");
  // The second entry has no port: the group's (9000).
  EXPECT_EQ(registered[0].targets, (std::vector<TargetAddress>{{ip::make_address("10.0.1.5"), 8000},
                                                               {ip::make_address("::1"), 9000}}));
  EXPECT_TRUE(deregistered.empty());
  EXPECT_EQ(info_calls, 1);
}

TEST_F(RoutesTest, DeregisterGoesToItsOwnHook) {
  install("");
  Response r = call("DELETE", "/v1/target-groups/app/targets",
                    R"({"Targets":[{"Id":"10.0.1.5","Port":8000},{"Id":"10.0.1.5","Port":8000}]})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"deregistered":true})");
  ASSERT_EQ(deregistered.size(), 1u);
  EXPECT_EQ(deregistered[0].group, "app");
  EXPECT_EQ(deregistered[0].targets,
            (std::vector<TargetAddress>{{ip::make_address("10.0.1.5"), 8000}}));
  EXPECT_TRUE(registered.empty());
}

TEST_F(RoutesTest, TheHooksOwn4xxPassesThrough) {
  install("");
  Response r = call("DELETE", "/v1/target-groups/noport/targets",
                    R"({"targets":[{"id":"10.0.0.1","port":80}]})");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.body, R"({"error":"10.0.0.1:80 is in the file"})");
}

TEST_F(RoutesTest, UnknownGroupIs404AndNoHookRuns) {
  install("s3cret");
  for (std::string_view method : {"POST", "DELETE"}) {
    Response r = call(method, "/v1/target-groups/nope/targets", kBody, "Bearer s3cret");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body, R"({"error":"unknown target group \"nope\""})");
  }
  // The group is checked before the body is read.
  EXPECT_EQ(call("POST", "/v1/target-groups/nope/targets", "not json", "Bearer s3cret").status,
            404);
  EXPECT_TRUE(registered.empty());
  EXPECT_TRUE(deregistered.empty());
}

TEST_F(RoutesTest, BadBodyIs4xxAndNoHookRuns) {
  install("s3cret");
  Response r = call("POST", "/v1/target-groups/app/targets", R"({"targets":[]})", "Bearer s3cret");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, R"({"error":"\"targets\" is empty; give at least one target"})");
  r = call("POST", "/v1/target-groups/noport/targets", R"({"targets":[{"id":"10.0.1.5"}]})",
           "Bearer s3cret");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body,
            R"({"error":"targets[0] has no \"port\" and target group \"noport\" has no port: )"
            R"(port required"})");
  r = call("DELETE", "/v1/target-groups/app/targets",
           R"({"targets":[{"id":"10.0.1.5","port":1},{"id":"web-1","port":2}]})", "Bearer s3cret");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body,
            R"({"error":"targets[1].id \"web-1\" is not an IPv4 or IPv6 address (host names and )"
            R"x(zone ids are not accepted)"})x");
  r = call("POST", "/v1/target-groups/app/targets",
           R"({"Targets":[{"Id":"10.0.1.5"}],"TargetGroupArn":)"
           R"("arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/other/1"})",
           "Bearer s3cret");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, R"({"error":"TargetGroupArn names target group \"other\", not \"app\""})");
  std::string big(kMaxTargetListBody + 1, ' ');
  r = call("POST", "/v1/target-groups/app/targets", big, "Bearer s3cret");
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.body, R"({"error":"request body larger than 1048576 bytes"})");
  EXPECT_TRUE(registered.empty());
  EXPECT_TRUE(deregistered.empty());
}

TEST_F(RoutesTest, TargetsPathTakesOnlyPostAndDelete) {
  install("");
  Response r = call("GET", "/v1/target-groups/app/targets");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(header(r, "Allow"), "POST, DELETE");
  EXPECT_EQ(call("PUT", "/v1/target-groups/app/targets", kBody).status, 405);
  EXPECT_TRUE(no_hook_called());
}

// ---- one group ----------------------------------------------------------------------------

TEST_F(RoutesTest, GetOneGroup) {
  install("s3cret");
  Response r = call("GET", "/v1/target-groups/app");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, kAppListing);
  EXPECT_EQ(group_calls, 1);
}

TEST_F(RoutesTest, GetUnknownGroupIs404) {
  install("");
  Response r = call("GET", "/v1/target-groups/x");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, R"({"error":"unknown target group \"x\""})");
  // A client-chosen name that is not UTF-8 still makes a JSON body.
  r = call("GET", "/v1/target-groups/a\xff");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, "{\"error\":\"unknown target group \\\"a\xEF\xBF\xBD\\\"\"}");
}

TEST_F(RoutesTest, ListingIsUnchangedBeside) {
  install("");
  // GET /v1/target-groups and /v1/target-groups/{name} do not shadow each other.
  Response r = call("GET", "/v1/target-groups");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, kAppListing);
  EXPECT_EQ(group_calls, 0);
}

// ---- unset hooks --------------------------------------------------------------------------

TEST(Routes, UnsetHooksAre501) {
  Router router;
  add_routes(router, Handlers{});
  for (auto [method, path] :
       {std::pair<std::string_view, std::string_view>{"GET", "/v1/target-groups/app"},
        {"POST", "/v1/target-groups/app/targets"},
        {"DELETE", "/v1/target-groups/app/targets"}}) {
    Request r;
    r.method = method;
    r.path = path;
    r.body = kBody;
    Response out = router.dispatch(r);
    EXPECT_EQ(out.status, 501) << method << " " << path;
    EXPECT_EQ(out.body, R"({"error":"not available"})");
  }
}

TEST(Routes, UnsetRegisterHookIs501EvenWithGroupInfo) {
  Router router;
  Handlers h;
  int info_calls = 0;
  h.group_info = [&](std::string_view) -> std::optional<Handlers::GroupInfo> {
    ++info_calls;
    return Handlers::GroupInfo{80};
  };
  add_routes(router, h);
  Request r;
  r.method = "POST";
  r.path = "/v1/target-groups/app/targets";
  r.body = kBody;
  EXPECT_EQ(router.dispatch(r).status, 501);
  EXPECT_EQ(info_calls, 0);
}

TEST(Routes, UnsetHooksStillNeedTheToken) {
  Router router;
  Handlers h;
  h.token = "s3cret";
  add_routes(router, h);
  Request r;
  r.method = "POST";
  r.path = "/v1/target-groups/app/targets";
  EXPECT_EQ(router.dispatch(r).status, 401);
}

}  // namespace
}  // namespace tern::admin
