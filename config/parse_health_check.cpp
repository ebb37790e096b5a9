// Target group health checks (ALB defaults and ranges) and target group stickiness.
#include <chrono>

#include "config/parsers.hpp"
#include "config/text.hpp"
#include "config/units.hpp"

namespace tern::config {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

constexpr int kMatcherLow = 200;  // ALB's range for HTTP/HTTPS health checks
constexpr int kMatcherHigh = 499;

void read_check_port(Context& ctx, const Field& field, HealthCheck& check) {
  if (field.value.IsScalar() && field.value.Scalar() == "traffic-port") {
    check.port.reset();
    return;
  }
  if (field.value.IsScalar() &&
      field.value.Scalar().find_first_not_of("-0123456789") != std::string::npos) {
    ctx.error(field.mark, "port: invalid value " + quote(field.value.Scalar()) +
                              "; expected traffic-port or 1..65535");
    return;
  }
  if (auto port = read_port(ctx, field)) check.port = port;
}

void read_matcher(Context& ctx, const Field& field, HealthCheck& check) {
  auto text = read_name(ctx, field);
  if (!text) return;
  std::string error;
  if (auto ranges = parse_matcher(*text, kMatcherLow, kMatcherHigh, error)) {
    check.matcher = *ranges;
    return;
  }
  ctx.error(field.mark, "matcher: invalid value " + quote(*text) + ": " + error +
                            "; expected codes 200..499 as \"200\", \"200,202\" or \"200-299\"");
}

void read_timing(Context& ctx, const MapReader& map, HealthCheck& check) {
  auto interval = map.get("interval");
  auto timeout = map.get("timeout");
  std::optional<Duration> interval_value;
  std::optional<Duration> timeout_value;
  if (interval) interval_value = read_duration(ctx, *interval, seconds(1), seconds(300));
  if (timeout) timeout_value = read_duration(ctx, *timeout, seconds(1), seconds(120));
  set(check.interval, interval_value);
  set(check.timeout, timeout_value);
  // Compare only values that parsed: a bad one was reported already.
  if (interval.has_value() != interval_value.has_value()) return;
  if (timeout.has_value() != timeout_value.has_value()) return;
  if ((interval || timeout) && check.timeout >= check.interval) {
    const Field& at = timeout ? *timeout : *interval;
    ctx.error(at.mark, "timeout: " + format_duration(check.timeout) +
                           " is not less than interval " + format_duration(check.interval) +
                           "; expected timeout < interval");
  }
}

}  // namespace

HealthCheck parse_health_check(Context& ctx, const Field& field) {
  MapReader map(ctx, field, "in health_check",
                {"enabled", "path", "port", "interval", "timeout", "healthy_threshold",
                 "unhealthy_threshold", "matcher"});
  HealthCheck check;
  check.mark = map.mark();
  if (!map.ok()) return check;
  if (auto f = map.get("enabled")) set(check.enabled, read_bool(ctx, *f));
  if (auto f = map.get("path")) set(check.path, read_checked(ctx, *f, check_health_path));
  if (auto f = map.get("port")) read_check_port(ctx, *f, check);
  read_timing(ctx, map, check);
  if (auto f = map.get("healthy_threshold")) set(check.healthy_threshold, read_int(ctx, *f, 2, 10));
  if (auto f = map.get("unhealthy_threshold")) {
    set(check.unhealthy_threshold, read_int(ctx, *f, 2, 10));
  }
  if (auto f = map.get("matcher")) read_matcher(ctx, *f, check);
  return check;
}

Stickiness parse_stickiness(Context& ctx, const Field& field) {
  MapReader map(ctx, field, "in stickiness", {"enabled", "type", "duration", "cookie_name"});
  Stickiness stickiness;
  stickiness.mark = map.mark();
  if (!map.ok()) return stickiness;
  if (auto f = map.get("enabled")) set(stickiness.enabled, read_bool(ctx, *f));
  if (auto f = map.get("type")) {
    set(stickiness.type, read_enum<StickinessType>(ctx, *f,
                                                   {{"lb_cookie", StickinessType::kLbCookie},
                                                    {"app_cookie", StickinessType::kAppCookie}}));
  }
  if (auto f = map.get("duration")) {
    set(stickiness.duration, read_duration(ctx, *f, seconds(1), hours(7 * 24)));
  }
  auto cookie = map.get("cookie_name");
  if (cookie) set(stickiness.cookie_name, read_checked(ctx, *cookie, check_cookie_name));
  if (cookie && stickiness.type == StickinessType::kLbCookie) {
    ctx.error(cookie->key_mark, "cookie_name: only used with type: app_cookie");
  }
  if (!cookie && stickiness.type == StickinessType::kAppCookie) {
    ctx.error(map.mark(), "stickiness: type app_cookie needs 'cookie_name'");
  }
  return stickiness;
}

}  // namespace tern::config
