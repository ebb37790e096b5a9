#include "lb/admin/response.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "lb/admin/json_text.hpp"
#include "lb/http/response_encoder.hpp"

namespace tern::admin {

namespace {

// tchar of RFC 9110 §5.6.2.
bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    bool ok = (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z');
    if (!ok) {
      switch (c) {
        case '!':
        case '#':
        case '$':
        case '%':
        case '&':
        case '\'':
        case '*':
        case '+':
        case '-':
        case '.':
        case '^':
        case '_':
        case '`':
        case '|':
        case '~':
          ok = true;
          break;
        default:
          break;
      }
    }
    if (!ok) return false;
  }
  return true;
}

// field-value of RFC 9110 §5.5: no control characters but HTAB (CR and LF would let a
// value start a new field or end the head).
bool is_field_value(std::string_view s) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7F) return false;
  }
  return true;
}

}  // namespace

Response json_response(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Response error_response(int status, std::string_view message) {
  // The message may quote client bytes (a path, a group name): json_string keeps the body
  // valid JSON.
  boost::json::object body;
  body["error"] = json_string(message);
  return json_response(status, boost::json::serialize(body));
}

void encode_response(const Response& response, const Framing& framing, std::string_view date,
                     std::string& out) {
  std::string extra;
  for (const auto& [name, value] : response.headers) {
    if (!is_token(name) || !is_field_value(value)) continue;
    extra.append(name);
    extra.append(": ");
    extra.append(value);
    extra.append("\r\n");
  }
  http::LocalResponse local;
  local.status = response.status;
  // Every admin response says what it carries; a type that would break the head is a
  // handler bug, not something to put on the wire.
  local.content_type = is_field_value(response.content_type) && !response.content_type.empty()
                           ? std::string_view(response.content_type)
                           : std::string_view("application/octet-stream");
  local.body = response.body;
  local.extra_fields = extra;
  local.close = framing.close;
  local.client_http10 = framing.client_http10;
  local.head = framing.head;
  http::encode_local_response(local, date, out);
}

}  // namespace tern::admin
