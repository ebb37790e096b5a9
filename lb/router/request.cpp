#include "lb/router/request.hpp"

#include "lb/http/request_target.hpp"
#include "lb/router/normalize.hpp"

namespace tern::router {

PrepareStatus prepare_request(const http::MessageHead& head, const char* base,
                              const ConnectionInfo& connection, RequestScratch& scratch,
                              Request& out) {
  return prepare_request(head.method_text.view(base), head.target.view(base),
                         http::find_header(head, base, "host"), head.headers, base, connection,
                         scratch, out);
}

PrepareStatus prepare_request(std::string_view method, std::string_view target,
                              std::string_view host_value,
                              std::span<const http::HeaderField> headers, const char* base,
                              const ConnectionInfo& connection, RequestScratch& scratch,
                              Request& out) {
  const http::RequestTarget parsed = http::parse_request_target(target);
  out = Request{};
  out.method = method;
  out.headers = headers;
  out.base = base;
  out.connection = connection;
  std::string_view path_and_query = parsed.path;
  switch (parsed.form) {
    case http::RequestTarget::Form::kInvalid:
      return PrepareStatus::kBadRequest;
    case http::RequestTarget::Form::kAsterisk:
      scratch.path.assign("*");
      path_and_query = {};
      break;
    case http::RequestTarget::Form::kAbsolute:
      host_value = parsed.authority;
      break;
    case http::RequestTarget::Form::kOrigin:
      break;
  }
  if (parsed.form != http::RequestTarget::Form::kAsterisk) {
    // A fragment is never part of what a server sees (RFC 3986 §3.5); drop one if sent.
    path_and_query = path_and_query.substr(0, path_and_query.find('#'));
    const size_t question = path_and_query.find('?');
    std::string_view path = path_and_query.substr(0, question);
    if (question != std::string_view::npos) {
      out.has_query = true;
      out.query = path_and_query.substr(question + 1);
    }
    if (path.empty()) path = "/";  // absolute-form without a path (RFC 9112 §3.2.2)
    if (normalize_path(path, scratch.path) != PathStatus::kOk) return PrepareStatus::kBadRequest;
  }
  const HostPort host = split_host_port(host_value);
  normalize_host(host.host, scratch.host);
  out.host = scratch.host;
  out.host_port = host.port;
  out.path = scratch.path;
  return PrepareStatus::kOk;
}

void forward_target(const Request& request, std::string& out) {
  out.assign(request.path);
  if (request.has_query && request.path != "*") {
    out.push_back('?');
    out.append(request.query);
  }
}

}  // namespace tern::router
