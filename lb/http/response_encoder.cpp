#include "lb/http/response_encoder.hpp"

#include <cstdio>

#include "lb/http/hop_by_hop.hpp"

namespace tern::http {

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 101:
      return "Switching Protocols";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 460:
      return "Client Closed Request";
    case 463:
      return "Too Many Forwarded Addresses";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "";
  }
}

void encode_response_head(const MessageHead& head, const char* base, const ResponseFraming& framing,
                          std::string& out) {
  out.clear();
  out.append("HTTP/1.1 ");
  append_decimal(out, static_cast<unsigned>(head.status), 3);
  out.push_back(' ');
  out.append(head.reason.view(base));
  out.append("\r\n");
  ConnectionTokens tokens(head, base);
  for (const auto& h : head.headers) {
    std::string_view name = h.name.view(base);
    if (drop_on_forward(name, tokens)) continue;
    out.append(name);
    out.append(": ");
    out.append(h.value.view(base));
    out.append("\r\n");
  }
  bool interim = head.status >= 100 && head.status < 200;
  if (!interim) out.append(framing.extra_fields);
  if (head.chunked && !framing.dechunk && !interim) out.append("Transfer-Encoding: chunked\r\n");
  if (!interim) {
    if (framing.close) {
      out.append("Connection: close\r\n");
    } else if (framing.client_http10) {
      out.append("Connection: keep-alive\r\n");  // RFC 9112 §9.3: 1.0 persistence is opt-in
    }
  }
  out.append("\r\n");
}

void encode_local_reply(int status, std::string_view date, bool close, std::string& out) {
  std::string_view reason = reason_phrase(status);
  char line[96];
  int n = std::snprintf(line, sizeof line, "HTTP/1.1 %03d %.*s\r\n", status,
                        static_cast<int>(reason.size()), reason.data());
  out.assign(line, static_cast<size_t>(n));
  out.append("Server: tern\r\nDate: ");
  out.append(date);
  bool has_body = status >= 200 && status != 204 && status != 304;
  if (has_body) {
    char body[96];
    int b = std::snprintf(body, sizeof body, "%03d %.*s\n", status, static_cast<int>(reason.size()),
                          reason.data());
    char len[64];
    int l = std::snprintf(len, sizeof len, "\r\nContent-Type: text/plain\r\nContent-Length: %d", b);
    out.append(len, static_cast<size_t>(l));
    out.append(close ? "\r\nConnection: close\r\n\r\n" : "\r\n\r\n");
    out.append(body, static_cast<size_t>(b));
  } else {
    out.append(close ? "\r\nConnection: close\r\n\r\n" : "\r\n\r\n");
  }
}

void encode_local_response(const LocalResponse& r, std::string_view date, std::string& out) {
  out.clear();
  out.append("HTTP/1.1 ");
  append_decimal(out, static_cast<unsigned>(r.status), 3);
  out.push_back(' ');
  out.append(reason_phrase(r.status));
  out.append("\r\nServer: tern\r\nDate: ");
  out.append(date);
  out.append("\r\n");
  out.append(r.extra_fields);
  if (!r.content_type.empty()) {
    out.append("Content-Type: ");
    out.append(r.content_type);
    out.append("\r\n");
  }
  // RFC 9110 §8.6: a 204 carries no Content-Length; tern never composes 1xx or 304 here.
  if (r.status != 204) {
    out.append("Content-Length: ");
    append_decimal(out, static_cast<unsigned>(r.body.size()));
    out.append("\r\n");
  }
  if (r.close) {
    out.append("Connection: close\r\n");
  } else if (r.client_http10) {
    out.append("Connection: keep-alive\r\n");
  }
  out.append("\r\n");
  if (!r.head && r.status != 204) out.append(r.body);
}

}  // namespace tern::http
