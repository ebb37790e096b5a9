// Target group `outlier_detection`: passive ejection of failing targets (tern's own
// block; ALB has no equivalent).
#include <chrono>

#include "config/parsers.hpp"
#include "config/text.hpp"
#include "config/units.hpp"

namespace tern::config {

using std::chrono::hours;
using std::chrono::seconds;

OutlierDetection parse_outlier_detection(Context& ctx, const Field& field) {
  MapReader map(
      ctx, field, "in outlier_detection",
      {"consecutive_failures", "base_ejection_time", "max_ejection_time", "max_ejection_percent"});
  OutlierDetection out;
  out.mark = map.mark();
  if (!map.ok()) return out;
  if (auto f = map.get("consecutive_failures")) {
    set(out.consecutive_failures, read_int(ctx, *f, 0, 1000));
  }
  auto base = map.get("base_ejection_time");
  auto max = map.get("max_ejection_time");
  std::optional<Duration> base_value;
  std::optional<Duration> max_value;
  if (base) base_value = read_duration(ctx, *base, seconds(1), hours(1));
  if (max) max_value = read_duration(ctx, *max, seconds(1), hours(24));
  set(out.base_ejection_time, base_value);
  set(out.max_ejection_time, max_value);
  if (auto f = map.get("max_ejection_percent")) {
    set(out.max_ejection_percent, read_int(ctx, *f, 0, 100));
  }
  // Compare only values that parsed: a bad one was reported already.
  if (base.has_value() != base_value.has_value() || max.has_value() != max_value.has_value()) {
    return out;
  }
  if ((base || max) && out.max_ejection_time < out.base_ejection_time) {
    const Field& at = max ? *max : *base;
    ctx.error(at.mark, "max_ejection_time: " + format_duration(out.max_ejection_time) +
                           " is less than base_ejection_time " +
                           format_duration(out.base_ejection_time) +
                           "; expected max_ejection_time >= base_ejection_time");
  }
  return out;
}

}  // namespace tern::config
