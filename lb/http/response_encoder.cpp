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
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
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

}  // namespace tern::http
