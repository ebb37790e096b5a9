// Keys that name files tern reads at load time or writes later: admin.token_file,
// admin.state_file and fleet_key_file. Their content is read on every load (start-up,
// --check and each SIGHUP reload), so a changed file takes effect like a changed key.
#include <string>
#include <string_view>

#include "config/files.hpp"
#include "config/parsers.hpp"
#include "config/text.hpp"

namespace tern::config {
namespace {

// Far above any real token or key; keeps a wrong path (a log, a disk image) from being
// read whole.
constexpr size_t kMaxSecretBytes = 64 * 1024;
constexpr size_t kMinFleetKeyBytes = 32;

std::optional<std::string> read_secret(Context& ctx, const Field& field, const std::string& path) {
  std::string error;
  auto content = read_whole_file(path, kMaxSecretBytes, error);
  if (!content) ctx.error(field.mark, field.key + ": cannot read " + quote(path) + ": " + error);
  return content;
}

// One trailing newline ("\n" or "\r\n") is how editors and `echo` end a file; it is not
// part of the token.
std::string_view strip_one_newline(std::string_view text) {
  if (text.ends_with("\r\n")) return text.substr(0, text.size() - 2);
  if (text.ends_with('\n')) return text.substr(0, text.size() - 1);
  return text;
}

// A token travels in "Authorization: Bearer <token>" (RFC 6750 §2.1): blanks and
// control characters could never match what a client sends.
bool is_visible_ascii(std::string_view text) {
  for (const char c : text) {
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> read_token_file(Context& ctx, const Field& field) {
  auto path = read_name(ctx, field);
  if (!path) return std::nullopt;
  auto content = read_secret(ctx, field, *path);
  if (!content) return std::nullopt;
  const std::string_view token = strip_one_newline(*content);
  if (token.empty()) {
    ctx.error(field.mark, field.key + ": " + quote(*path) +
                              " is empty; expected the admin token (one trailing newline is "
                              "not part of it)");
    return std::nullopt;
  }
  if (!is_visible_ascii(token)) {
    ctx.error(field.mark, field.key + ": the token in " + quote(*path) +
                              " contains a blank, a control character or a non-ASCII byte; "
                              "expected visible ASCII characters (one trailing newline is "
                              "not part of it)");
    return std::nullopt;
  }
  return std::string(token);
}

std::optional<std::string> read_fleet_key_file(Context& ctx, const Field& field) {
  auto path = read_name(ctx, field);
  if (!path) return std::nullopt;
  auto content = read_secret(ctx, field, *path);
  if (!content) return std::nullopt;
  if (content->size() < kMinFleetKeyBytes) {
    ctx.error(field.mark, field.key + ": " + quote(*path) + " holds " +
                              std::to_string(content->size()) + " bytes; expected at least " +
                              std::to_string(kMinFleetKeyBytes) +
                              " random bytes (e.g. from head -c 32 /dev/urandom)");
    return std::nullopt;
  }
  return content;
}

std::optional<std::string> read_state_file(Context& ctx, const Field& field) {
  auto path = read_name(ctx, field);
  if (!path) return std::nullopt;
  const std::string problem = check_writable_location(*path);
  if (!problem.empty()) {
    ctx.error(field.mark, field.key + ": " + problem);
    return std::nullopt;
  }
  return path;
}

}  // namespace tern::config
