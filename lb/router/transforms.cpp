#include "lb/router/transforms.hpp"

#include <re2/re2.h>

#include "lb/http/request_target.hpp"
#include "lb/router/normalize.hpp"

namespace tern::router {
namespace {

std::unique_ptr<RE2> compile_rewrite(const config::Rewrite& rewrite, std::string_view key,
                                     bool case_sensitive, std::string& replace,
                                     std::vector<CompileError>& errors) {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_case_sensitive(case_sensitive);
  auto re = std::make_unique<RE2>(rewrite.regex, options);
  if (!re->ok()) {
    errors.push_back({rewrite.mark, std::string(key) + ": invalid regular expression \"" +
                                        rewrite.regex + "\": " + re->error()});
    return nullptr;
  }
  replace = to_re2_rewrite(rewrite.replace);
  std::string error;
  if (!re->CheckRewriteString(replace, &error)) {
    errors.push_back({rewrite.mark, std::string(key) + ": replace \"" + rewrite.replace +
                                        "\" does not fit regex \"" + rewrite.regex +
                                        "\": " + error});
    return nullptr;
  }
  return re;
}

// '/' then visible ASCII without '#', every '%' starting a valid escape.
bool valid_origin_form(std::string_view target) {
  if (target.empty() || target.front() != '/') return false;
  for (size_t i = 0; i < target.size(); ++i) {
    const auto c = static_cast<unsigned char>(target[i]);
    if (c <= 0x20 || c >= 0x7f || c == '#') return false;
    if (c == '%' &&
        (i + 2 >= target.size() || hex_digit(target[i + 1]) < 0 || hex_digit(target[i + 2]) < 0)) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string to_re2_rewrite(std::string_view replace) {
  std::string out;
  for (size_t i = 0; i < replace.size(); ++i) {
    const char c = replace[i];
    if (c == '$' && i + 1 < replace.size() && replace[i + 1] >= '0' && replace[i + 1] <= '9') {
      out.push_back('\\');
      out.push_back(replace[++i]);
    } else if (c == '\\') {
      out.append("\\\\");
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Transforms::Transforms() = default;
Transforms::Transforms(Transforms&&) noexcept = default;
Transforms& Transforms::operator=(Transforms&&) noexcept = default;
Transforms::~Transforms() = default;

Transforms Transforms::compile(const config::Transforms& transforms,
                               std::vector<CompileError>& errors) {
  Transforms t;
  if (transforms.url_rewrite) {
    t.url_regex_ =
        compile_rewrite(*transforms.url_rewrite, "url_rewrite", true, t.url_replace_, errors);
  }
  if (transforms.host_header_rewrite) {
    t.host_regex_ = compile_rewrite(*transforms.host_header_rewrite, "host_header_rewrite", false,
                                    t.host_replace_, errors);
  }
  return t;
}

TransformStatus Transforms::apply(const Request& request, Rewritten& out) const {
  forward_target(request, out.target);
  out.host_rewritten = false;
  if (url_regex_ && RE2::Replace(&out.target, *url_regex_, url_replace_)) {
    if (!valid_origin_form(out.target)) return TransformStatus::kFailed;
    // Forwarded normalized, like an unrewritten target: the target sees a clean path.
    const size_t question = out.target.find('?');
    if (normalize_path(std::string_view(out.target).substr(0, question), out.scratch) !=
        PathStatus::kOk) {
      return TransformStatus::kFailed;
    }
    if (question != std::string::npos) out.scratch.append(out.target, question);
    out.target.swap(out.scratch);
  }
  if (host_regex_) {
    out.host.assign(request.host);
    if (RE2::Replace(&out.host, *host_regex_, host_replace_)) {
      if (out.host.empty()) return TransformStatus::kFailed;
      if (!request.host_port.empty()) {
        out.host.push_back(':');
        out.host.append(request.host_port);
      }
      if (!http::is_valid_host(out.host)) return TransformStatus::kFailed;
      out.host_rewritten = true;
    }
  }
  return TransformStatus::kOk;
}

}  // namespace tern::router
