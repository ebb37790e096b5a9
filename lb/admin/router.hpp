// The admin API's route table: each route is a set of methods, a path pattern and a
// handler that turns a Request into a Response. dispatch() is a pure function of the
// table and the request: the first route (in registration order) whose pattern matches
// the path and that allows the method answers; a path some route matches with no route
// allowing the method is 405 with an Allow field (RFC 9110 §15.5.6); no match is 404.
// The query never takes part in routing.
//
// Patterns are literal segments and {name} segments: "/v1/target-groups/{name}/targets"
// matches "/v1/target-groups/app/targets" and captures name = "app" (one non-empty
// segment, as sent: no percent-decoding). GET routes answer HEAD too (RFC 9110 §9.3.2;
// the session drops the body). Methods compare case-sensitively (RFC 9110 §9.1).
//
// Thread affinity: built before the server listens (or between requests) and used on the
// control thread. Ownership: owns its routes and their handlers; owned by the AdminServer.
#pragma once

#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "lb/admin/request.hpp"
#include "lb/admin/response.hpp"

namespace tern::admin {

class Router {
 public:
  using Handler = std::function<Response(const Request&)>;

  // Adds a route. A malformed pattern (not starting with '/', an empty or unbalanced
  // {name}) or an empty method list is a programming error: std::invalid_argument, at
  // start-up, never on a request.
  void add(std::initializer_list<std::string_view> methods, std::string_view pattern,
           Handler handler);

  // The answer to `request` (its params are filled from the matching pattern). A handler
  // that throws gives 500 {"error": ...} and a log line: the connection carries on.
  Response dispatch(Request request) const;

  size_t size() const { return routes_.size(); }

 private:
  struct Segment {
    std::string text;  // literal text, or the parameter name
    bool param = false;
  };
  struct Route {
    std::vector<std::string> methods;
    std::vector<Segment> segments;
    Handler handler;

    bool allows(std::string_view method) const;
    bool match(std::string_view path, Request& request) const;
  };

  std::vector<Route> routes_;
};

}  // namespace tern::admin
