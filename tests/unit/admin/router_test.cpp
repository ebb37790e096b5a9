// Route dispatch as a pure function: request in, response out. 404 and 405 (with Allow),
// HEAD through GET routes, {name} captures, registration order, handler failures.
#include "lb/admin/router.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "lb/admin/routes.hpp"

namespace tern::admin {
namespace {

Request req(std::string_view method, std::string_view path, std::string_view query = {}) {
  Request r;
  r.method = method;
  r.target = path;
  r.path = path;
  r.query = query;
  return r;
}

std::string header(const Response& r, std::string_view name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return "<none>";
}

Response echo(std::string text) {
  Response r;
  r.content_type = "text/plain";
  r.body = std::move(text);
  return r;
}

class BuiltinRoutes : public ::testing::Test {
 protected:
  BuiltinRoutes() {
    Handlers h;
    h.target_groups = [this] {
      ++calls;
      return std::vector<TargetGroupView>{{"app", "round_robin", false, {}}};
    };
    add_routes(router, h);
  }
  Router router;
  int calls = 0;
};

TEST_F(BuiltinRoutes, Healthz) {
  Response r = router.dispatch(req("GET", "/healthz"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, R"({"status":"ok"})");
  EXPECT_TRUE(r.headers.empty());
  EXPECT_FALSE(r.close);
}

TEST_F(BuiltinRoutes, HeadIsServedByTheGetRoute) {
  // The session drops the body on the wire; the router answers as for GET.
  Response r = router.dispatch(req("HEAD", "/healthz"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"status":"ok"})");
}

TEST_F(BuiltinRoutes, TargetGroupsCallsTheHookPerRequest) {
  Response r = router.dispatch(req("GET", "/v1/target-groups"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body,
            R"({"TargetGroups":[{"TargetGroupName":"app","LoadBalancingAlgorithm":"round_robin",)"
            R"("FailOpen":false,"TargetHealthDescriptions":[]}]})");
  router.dispatch(req("GET", "/v1/target-groups"));
  EXPECT_EQ(calls, 2);
}

TEST(Routes, UnsetTargetGroupsHookGivesAnEmptyList) {
  Router router;
  add_routes(router, Handlers{});
  Response r = router.dispatch(req("GET", "/v1/target-groups"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"TargetGroups":[]})");
}

TEST_F(BuiltinRoutes, WrongMethodIs405WithAllow) {
  Response r = router.dispatch(req("POST", "/healthz"));
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.body, R"({"error":"method POST not allowed on /healthz"})");
  EXPECT_EQ(header(r, "Allow"), "GET, HEAD");
  r = router.dispatch(req("DELETE", "/v1/target-groups"));
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(header(r, "Allow"), "GET, HEAD");
}

TEST_F(BuiltinRoutes, MethodsAreCaseSensitive) {
  // RFC 9110 §9.1 (llhttp would not even parse "get", but the router must not care).
  EXPECT_EQ(router.dispatch(req("get", "/healthz")).status, 405);
}

TEST_F(BuiltinRoutes, UnknownPathIs404) {
  Response r = router.dispatch(req("GET", "/foo"));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, R"({"error":"no such endpoint: /foo"})");
  EXPECT_EQ(header(r, "Allow"), "<none>");
}

TEST_F(BuiltinRoutes, PathsMatchExactly) {
  EXPECT_EQ(router.dispatch(req("GET", "/healthz/")).status, 404);
  EXPECT_EQ(router.dispatch(req("GET", "//healthz")).status, 404);
  EXPECT_EQ(router.dispatch(req("GET", "/HEALTHZ")).status, 404);
  EXPECT_EQ(router.dispatch(req("GET", "/healthz/x")).status, 404);
  EXPECT_EQ(router.dispatch(req("GET", "/")).status, 404);
  EXPECT_EQ(router.dispatch(req("GET", "")).status, 404);
  EXPECT_EQ(router.dispatch(req("GET", "*")).status, 404);
  EXPECT_EQ(router.dispatch(req("GET", "/v1")).status, 404);
}

TEST_F(BuiltinRoutes, QueryIsIgnoredForRouting) {
  EXPECT_EQ(router.dispatch(req("GET", "/healthz", "verbose=1")).status, 200);
}

TEST_F(BuiltinRoutes, FutureRoutesAreNotRegisteredYet) {
  EXPECT_EQ(router.dispatch(req("GET", "/metrics")).status, 404);
  EXPECT_EQ(router.dispatch(req("POST", "/v1/ecs/events")).status, 404);
  // Registered, but this fixture leaves their hooks unset (routes_test.cpp has the rest).
  EXPECT_EQ(router.dispatch(req("POST", "/v1/target-groups/app/targets")).status, 501);
  EXPECT_EQ(router.dispatch(req("DELETE", "/v1/target-groups/app/targets")).status, 501);
}

TEST_F(BuiltinRoutes, ErrorTextIsValidJsonWhateverThePath) {
  Response r = router.dispatch(req("GET", "/a\"b\\\x01\xff"));
  EXPECT_EQ(r.body, "{\"error\":\"no such endpoint: /a\\\"b\\\\\\u0001\xEF\xBF\xBD\"}");
}

TEST(Router, CapturesNamedSegments) {
  Router router;
  router.add({"POST"}, "/v1/target-groups/{name}/targets", [](const Request& r) {
    return echo("register " + std::string(r.param("name")) + " " + std::string(r.body));
  });
  Request r = req("POST", "/v1/target-groups/app-1/targets");
  r.body = "{}";
  Response out = router.dispatch(r);
  EXPECT_EQ(out.status, 200);
  EXPECT_EQ(out.body, "register app-1 {}");
  EXPECT_EQ(router.dispatch(req("POST", "/v1/target-groups//targets")).status, 404);
  EXPECT_EQ(router.dispatch(req("POST", "/v1/target-groups/a/b/targets")).status, 404);
  EXPECT_EQ(router.dispatch(req("POST", "/v1/target-groups/app")).status, 404);
}

TEST(Router, SamePatternDifferentMethodsAndAllowUnion) {
  Router router;
  router.add({"POST"}, "/v1/target-groups/{name}/targets",
             [](const Request& r) { return echo("post " + std::string(r.param("name"))); });
  router.add({"DELETE"}, "/v1/target-groups/{name}/targets",
             [](const Request& r) { return echo("delete " + std::string(r.param("name"))); });
  EXPECT_EQ(router.dispatch(req("POST", "/v1/target-groups/a/targets")).body, "post a");
  EXPECT_EQ(router.dispatch(req("DELETE", "/v1/target-groups/b/targets")).body, "delete b");
  Response r = router.dispatch(req("GET", "/v1/target-groups/a/targets"));
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(header(r, "Allow"), "POST, DELETE");
  EXPECT_EQ(r.body, R"({"error":"method GET not allowed on /v1/target-groups/a/targets"})");
}

TEST(Router, FirstMatchingRouteInRegistrationOrderWins) {
  Router router;
  router.add({"GET"}, "/v1/target-groups/special", [](const Request&) { return echo("literal"); });
  router.add({"GET"}, "/v1/target-groups/{name}",
             [](const Request& r) { return echo("param " + std::string(r.param("name"))); });
  EXPECT_EQ(router.dispatch(req("GET", "/v1/target-groups/special")).body, "literal");
  EXPECT_EQ(router.dispatch(req("GET", "/v1/target-groups/other")).body, "param other");
}

TEST(Router, ExplicitHeadRouteAndMultipleMethods) {
  Router router;
  router.add({"GET", "PUT"}, "/x", [](const Request& r) { return echo(std::string(r.method)); });
  EXPECT_EQ(router.dispatch(req("PUT", "/x")).body, "PUT");
  EXPECT_EQ(router.dispatch(req("HEAD", "/x")).body, "HEAD");
  Response r = router.dispatch(req("PATCH", "/x"));
  EXPECT_EQ(header(r, "Allow"), "GET, HEAD, PUT");
}

TEST(Router, RootPattern) {
  Router router;
  router.add({"GET"}, "/", [](const Request&) { return echo("root"); });
  EXPECT_EQ(router.dispatch(req("GET", "/")).body, "root");
  EXPECT_EQ(router.dispatch(req("GET", "/a")).status, 404);
}

TEST(Router, ThrowingHandlerIs500) {
  Router router;
  router.add({"GET"}, "/boom",
             [](const Request&) -> Response { throw std::runtime_error("state unavailable"); });
  router.add({"GET"}, "/boom2", [](const Request&) -> Response { throw 42; });
  Response r = router.dispatch(req("GET", "/boom"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body, R"({"error":"internal error: state unavailable"})");
  r = router.dispatch(req("GET", "/boom2"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body, R"({"error":"internal error"})");
}

TEST(Router, MalformedPatternsAreRejectedAtRegistration) {
  Router router;
  auto ok = [](const Request&) { return Response{}; };
  EXPECT_THROW(router.add({"GET"}, "", ok), std::invalid_argument);
  EXPECT_THROW(router.add({"GET"}, "healthz", ok), std::invalid_argument);
  EXPECT_THROW(router.add({"GET"}, "/a/{}", ok), std::invalid_argument);
  EXPECT_THROW(router.add({"GET"}, "/a/{name", ok), std::invalid_argument);
  EXPECT_THROW(router.add({"GET"}, "/a/name}", ok), std::invalid_argument);
  EXPECT_THROW(router.add({"GET"}, "/a/x{name}", ok), std::invalid_argument);
  EXPECT_THROW(router.add({"GET"}, "/a/{{n}}", ok), std::invalid_argument);
  EXPECT_THROW(router.add({}, "/a", ok), std::invalid_argument);
  EXPECT_EQ(router.size(), 0u);
}

TEST(Request, HeaderLookupIsCaseInsensitiveAndFirstWins) {
  Request r;
  r.headers = {{"Content-Type", "application/json"}, {"X-A", "1"}, {"x-a", "2"}};
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_EQ(r.header("X-A"), "1");
  EXPECT_EQ(r.header("missing"), "");
}

}  // namespace
}  // namespace tern::admin
