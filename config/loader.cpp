// Entry points: read the file, parse the YAML, build and validate the Config, and turn
// not-yet-supported features into errors. Either a Config or every error, never both.
#include "config/loader.hpp"

#include "config/diagnostics.hpp"
#include "config/features.hpp"
#include "config/files.hpp"
#include "config/parsers.hpp"
#include "config/yaml_document.hpp"
#include "config/yaml_reader.hpp"

namespace tern::config {
namespace {

constexpr size_t kMaxFileBytes = 16 * 1024 * 1024;  // far above any real config

}  // namespace

LoadResult load_string(std::string_view yaml, const std::string& file_name) {
  Diagnostics diag(file_name);
  auto root = load_single_document(yaml, diag);
  if (!root) return LoadResult{std::nullopt, diag.take()};
  std::vector<FeatureUse> uses;
  Context ctx{diag, uses};
  Config config = parse_config(ctx, *root);
  config.file = file_name;
  validate(ctx, config);
  report_unsupported(uses, diag);
  if (!diag.empty()) return LoadResult{std::nullopt, diag.take()};
  return LoadResult{std::move(config), {}};
}

LoadResult load_file(const std::string& path) {
  std::string error;
  auto text = read_whole_file(path, kMaxFileBytes, error);
  if (!text) return LoadResult{std::nullopt, {ConfigError{path, 0, 0, "cannot read: " + error}}};
  return load_string(*text, path);
}

}  // namespace tern::config
