// What the rules see of one request (spec/config.md, "Matching, exactly"): method,
// normalized host and path, raw query, the header lines, the TCP peer, and the listener it
// arrived on. Built once per stream by prepare_request, then handed to
// CompiledRules::match, apply_transforms and build_redirect.
//
// Thread affinity: the worker that owns the stream. Ownership: Request is a set of views
// into the connection's read buffer (the parsed head) and into a RequestScratch, which the
// caller owns and reuses for every request of the connection (no allocation in steady
// state once its strings have grown).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "lb/http/message_head.hpp"
#include "lb/router/ip_address.hpp"

namespace tern::router {

// Facts about the connection a request came on.
struct ConnectionInfo {
  IpAddress peer;              // TCP peer (never X-Forwarded-For)
  uint16_t listener_port = 0;  // the port actually bound (#{port} of redirects)
  bool https = false;          // #{protocol} of redirects
};

struct Request {
  std::string_view method;     // as sent, compared case-sensitively
  std::string_view host;       // normalized: no port, lower-case, no trailing dot
  std::string_view host_port;  // port text from Host/authority ("" when absent)
  std::string_view path;       // normalized path, never the query ("*" for OPTIONS *)
  std::string_view query;      // raw query without '?', not normalized
  bool has_query = false;      // a '?' was present (forwarded even when the query is empty)
  std::span<const http::HeaderField> headers;  // header lines, views into `base`
  const char* base = nullptr;
  ConnectionInfo connection;
};

// Per-connection storage behind a Request's normalized host and path.
struct RequestScratch {
  std::string path;
  std::string host;
};

enum class PrepareStatus : uint8_t {
  kOk,
  kBadRequest,  // invalid target or path (bad escape, ".." above the root): answer 400
};

// Fills `out` from a parsed request head. The host is the absolute-form authority when
// the target has one (RFC 9112 §3.2.2: Host is then ignored), else the first Host line.
// An absolute-form target without a path ("http://h?q") has the path "/".
PrepareStatus prepare_request(const http::MessageHead& head, const char* base,
                              const ConnectionInfo& connection, RequestScratch& scratch,
                              Request& out);

// Same for callers without a parsed head (tests, benchmarks): `target` is the
// request-target as sent, `host_value` the Host value; `headers`/`base` may be empty.
PrepareStatus prepare_request(std::string_view method, std::string_view target,
                              std::string_view host_value,
                              std::span<const http::HeaderField> headers, const char* base,
                              const ConnectionInfo& connection, RequestScratch& scratch,
                              Request& out);

// The request-target to forward when no url_rewrite applies: the normalized path plus
// "?query" when the request had one (the target sees what the rules saw).
void forward_target(const Request& request, std::string& out);

}  // namespace tern::router
