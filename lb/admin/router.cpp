#include "lb/admin/router.hpp"

#include <algorithm>
#include <exception>
#include <stdexcept>

#include "lb/core/log.hpp"

namespace tern::admin {

namespace {

// Calls f(segment) for each '/'-separated segment after the leading '/'; "/" has one
// empty segment, "/a/" has "a" and "".
template <typename F>
void for_each_segment(std::string_view path, F&& f) {
  size_t i = 1;
  for (;;) {
    size_t slash = path.find('/', i);
    if (slash == std::string_view::npos) {
      f(path.substr(i));
      return;
    }
    f(path.substr(i, slash - i));
    i = slash + 1;
  }
}

void add_method(std::vector<std::string_view>& allowed, std::string_view method) {
  if (std::find(allowed.begin(), allowed.end(), method) == allowed.end()) {
    allowed.push_back(method);
  }
}

}  // namespace

bool Router::Route::allows(std::string_view method) const {
  for (const std::string& m : methods) {
    if (m == method) return true;
  }
  return false;
}

bool Router::Route::match(std::string_view path, Request& request) const {
  if (path.empty() || path.front() != '/') return false;
  request.params.clear();
  size_t i = 0;
  bool ok = true;
  for_each_segment(path, [&](std::string_view seg) {
    if (!ok) return;
    if (i >= segments.size()) {
      ok = false;
      return;
    }
    const Segment& s = segments[i++];
    if (s.param) {
      ok = !seg.empty();
      if (ok) request.params.emplace_back(s.text, seg);
    } else {
      ok = seg == s.text;
    }
  });
  return ok && i == segments.size();
}

void Router::add(std::initializer_list<std::string_view> methods, std::string_view pattern,
                 Handler handler) {
  if (methods.size() == 0) throw std::invalid_argument("admin route without methods");
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("admin route pattern must start with '/': " + std::string(pattern));
  }
  Route route;
  for (std::string_view m : methods) route.methods.emplace_back(m);
  bool ok = true;
  for_each_segment(pattern, [&](std::string_view seg) {
    Segment s;
    bool open = seg.find('{') != std::string_view::npos;
    bool close = seg.find('}') != std::string_view::npos;
    if (open || close) {
      s.param = true;
      s.text = std::string(seg.substr(1, seg.size() >= 2 ? seg.size() - 2 : 0));
      ok = ok && seg.size() > 2 && seg.front() == '{' && seg.back() == '}' &&
           s.text.find_first_of("{}") == std::string::npos;
    } else {
      s.text = std::string(seg);
    }
    route.segments.push_back(std::move(s));
  });
  if (!ok) throw std::invalid_argument("malformed admin route pattern: " + std::string(pattern));
  route.handler = std::move(handler);
  routes_.push_back(std::move(route));
}

Response Router::dispatch(Request request) const {
  std::vector<std::string_view> allowed;
  for (const Route& route : routes_) {
    if (!route.match(request.path, request)) continue;
    bool get_for_head = request.method == "HEAD" && route.allows("GET");
    if (route.allows(request.method) || get_for_head) {
      try {
        return route.handler(request);
      } catch (const std::exception& e) {
        core::log_error("admin: " + std::string(request.method) + " " + std::string(request.path) +
                        " failed: " + e.what());
        return error_response(500, "internal error: " + std::string(e.what()));
      } catch (...) {
        core::log_error("admin: " + std::string(request.method) + " " + std::string(request.path) +
                        " failed: unknown exception");
        return error_response(500, "internal error");
      }
    }
    for (const std::string& m : route.methods) {
      add_method(allowed, m);
      if (m == "GET") add_method(allowed, "HEAD");
    }
  }
  if (allowed.empty()) return error_response(404, "no such endpoint: " + std::string(request.path));
  Response r = error_response(405, "method " + std::string(request.method) + " not allowed on " +
                                       std::string(request.path));
  std::string allow;
  for (std::string_view m : allowed) {
    if (!allow.empty()) allow.append(", ");
    allow.append(m);
  }
  r.headers.emplace_back("Allow", std::move(allow));
  return r;
}

}  // namespace tern::admin
