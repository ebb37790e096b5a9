// The single list of features this version parses and validates but does not implement.
// A later issue that implements one deletes its row here (and its "Status" note in
// docs/config.md); nothing else has to change.
#include <array>
#include <string>
#include <string_view>

#include "config/features.hpp"

namespace tern::config {
namespace {

struct Unsupported {
  Feature feature;
  std::string_view key;  // how the message names it
};

constexpr std::array<Unsupported, 7> kNotSupportedYet{{
    {Feature::kAccessLog, "access_log"},
    {Feature::kDiscovery, "discovery"},
    {Feature::kHttpsListener, "protocol: HTTPS"},
    {Feature::kCertificates, "certificates"},
    {Feature::kSslPolicy, "ssl_policy"},
    {Feature::kEcsTargets, "ecs"},
    {Feature::kHttpsTargetGroup, "protocol: HTTPS"},
}};

}  // namespace

void report_unsupported(const std::vector<FeatureUse>& uses, Diagnostics& diag) {
  for (const FeatureUse& use : uses) {
    for (const Unsupported& entry : kNotSupportedYet) {
      if (entry.feature == use.feature) {
        diag.error(use.at, std::string(entry.key) + " is not supported yet");
      }
    }
  }
}

}  // namespace tern::config
