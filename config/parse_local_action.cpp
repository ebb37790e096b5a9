// The actions tern answers itself: redirect (Location built from placeholders) and
// fixed_response.
#include <algorithm>
#include <cctype>

#include "config/parsers.hpp"
#include "config/text.hpp"
#include "config/units.hpp"

namespace tern::config {
namespace {

constexpr size_t kMaxComponent = 128;  // ALB's limit per redirect component
constexpr size_t kMaxBody = 1024;      // ALB's limit for a fixed response body

// A redirect component: at most 128 visible characters, known placeholders only.
std::optional<std::string> read_component(Context& ctx, const Field& field, bool allow_empty) {
  auto text = read_string(ctx, field);
  if (!text) return std::nullopt;
  SyntaxError error;
  if (text->empty()) {
    if (!allow_empty) error = "must not be empty";
  } else {
    error = check_visible(*text, kMaxComponent);
  }
  if (!error) error = check_placeholders(*text);
  if (error) {
    ctx.error(field.mark, field.key + ": invalid value " + quote(*text) + ": " + *error);
    return std::nullopt;
  }
  return text;
}

void read_protocol(Context& ctx, const Field& field, RedirectAction& redirect) {
  auto text = read_string(ctx, field);
  if (!text) return;
  std::string lower = *text;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "http" || lower == "https" || *text == "#{protocol}") {
    redirect.protocol = lower;  // stored lower-case: it is the URL scheme
    return;
  }
  ctx.error(field.mark,
            "protocol: invalid value " + quote(*text) + "; expected HTTP, HTTPS or #{protocol}");
}

void read_redirect_port(Context& ctx, const Field& field, RedirectAction& redirect) {
  if (field.value.IsScalar() && field.value.Scalar() == "#{port}") {
    redirect.port = "#{port}";
    return;
  }
  auto text = read_string(ctx, field);
  auto number = text ? parse_unsigned(*text) : std::nullopt;
  if (text && (!number || *number < 1 || *number > 65535)) {
    ctx.error(field.mark, "port: invalid value " + quote(*text) + "; expected #{port} or 1..65535");
    return;
  }
  if (number) redirect.port = std::to_string(*number);
}

void read_path_and_query(Context& ctx, const MapReader& map, RedirectAction& redirect) {
  if (auto path = map.get("path")) {
    auto text = read_component(ctx, *path, false);
    if (text && text->front() != '/') {
      ctx.error(path->mark, "path: invalid value " + quote(*text) + ": must start with '/'");
    } else {
      set(redirect.path, text);
    }
  }
  if (auto query = map.get("query")) {
    auto text = read_component(ctx, *query, true);
    if (text && !text->empty() && text->front() == '?') {
      ctx.error(query->mark,
                "query: invalid value " + quote(*text) + ": give it without the leading '?'");
    } else {
      set(redirect.query, text);
    }
  }
}

// A redirect to the URL that was asked for would send the client around forever. An
// explicit protocol or port equal to the listener's counts as unchanged.
bool is_redirect_loop(const RedirectAction& redirect, const Listener& listener) {
  const std::string scheme = listener.protocol == Protocol::kHttps ? "https" : "http";
  const bool same_protocol = redirect.protocol == "#{protocol}" || redirect.protocol == scheme;
  const bool same_port =
      redirect.port == "#{port}" ||
      (listener.bind.port != 0 && redirect.port == std::to_string(listener.bind.port));
  return same_protocol && same_port && redirect.host == "#{host}" && redirect.path == "/#{path}";
}

}  // namespace

RedirectAction parse_redirect(Context& ctx, const Field& field) {
  MapReader map(ctx, field, "in redirect",
                {"protocol", "host", "port", "path", "query", "status_code"});
  RedirectAction redirect;
  if (!map.ok()) return redirect;
  const size_t errors_before = ctx.diag.count();
  if (auto f = map.get("protocol")) read_protocol(ctx, *f, redirect);
  if (auto f = map.get("host")) set(redirect.host, read_component(ctx, *f, false));
  if (auto f = map.get("port")) read_redirect_port(ctx, *f, redirect);
  read_path_and_query(ctx, map, redirect);
  if (auto f = map.require("status_code")) {
    set(redirect.status_code, read_enum<int>(ctx, *f, {{"HTTP_301", 301}, {"HTTP_302", 302}}));
  }
  // Judged only on a cleanly read redirect: defaults left by bad values would look alike.
  if (ctx.diag.count() == errors_before && ctx.listener &&
      is_redirect_loop(redirect, *ctx.listener)) {
    ctx.error(field.mark,
              "redirect: the target is the request's own URL (a redirect loop); "
              "expected a change of protocol, host, port or path");
  }
  return redirect;
}

FixedResponseAction parse_fixed_response(Context& ctx, const Field& field) {
  MapReader map(ctx, field, "in fixed_response", {"status_code", "content_type", "message_body"});
  FixedResponseAction fixed;
  if (!map.ok()) return fixed;
  if (auto f = map.require("status_code")) {
    auto code = read_int(ctx, *f, 200, 599);
    if (code && *code / 100 == 3) {
      ctx.error(f->mark, "status_code: " + std::to_string(*code) +
                             " is not allowed; expected 2XX, 4XX or 5XX (use redirect for 3XX)");
    } else {
      set(fixed.status_code, code);
    }
  }
  if (auto f = map.get("content_type")) {
    set(fixed.content_type,
        read_enum<std::string_view>(ctx, *f,
                                    {{"text/plain", "text/plain"},
                                     {"text/css", "text/css"},
                                     {"text/html", "text/html"},
                                     {"application/javascript", "application/javascript"},
                                     {"application/json", "application/json"}}));
  }
  if (auto f = map.get("message_body")) {
    auto body = read_string(ctx, *f);
    if (body && body->size() > kMaxBody) {
      ctx.error(f->mark, "message_body: is " + std::to_string(body->size()) +
                             " bytes long; expected at most " + std::to_string(kMaxBody));
    } else {
      set(fixed.message_body, body);
    }
  }
  return fixed;
}

}  // namespace tern::config
