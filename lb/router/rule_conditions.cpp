#include "lb/router/rule_conditions.hpp"

namespace tern::router {

RuleConditions RuleConditions::compile(const config::Conditions& conditions,
                                       std::vector<CompileError>& errors) {
  using Kind = ValueMatcher::Kind;
  RuleConditions c;
  c.methods_ = conditions.http_request_method;
  if (conditions.host_header) {
    c.host_ = ValueMatcher::compile(*conditions.host_header, Kind::kHost, errors);
  }
  if (conditions.path_pattern) {
    c.path_ = ValueMatcher::compile(*conditions.path_pattern, Kind::kPath, errors);
  }
  for (const std::string& text : conditions.source_ip) {
    if (auto cidr = Cidr::parse(text)) {
      c.sources_.push_back(*cidr);
    } else {
      errors.push_back({conditions.mark, "source_ip: invalid CIDR block \"" + text + "\""});
    }
  }
  for (const config::HeaderCondition& header : conditions.http_header) {
    c.headers_.push_back({header.name, ValueMatcher::compile(header.match, Kind::kHeader, errors)});
  }
  if (!conditions.query_string.empty()) c.query_ = QueryMatcher::compile(conditions.query_string);
  return c;
}

bool RuleConditions::matches(const Request& request, Known known) const {
  if (!methods_.empty()) {
    bool any = false;
    for (const std::string& m : methods_) any = any || m == request.method;
    if (!any) return false;
  }
  if (host_ && known != Known::kHost && !host_->matches(request.host)) return false;
  if (path_ && known != Known::kPath && !path_->matches(request.path)) return false;
  if (!sources_.empty() && !source_matches(request.connection.peer)) return false;
  for (const Header& header : headers_) {
    if (!header_matches(header, request)) return false;
  }
  if (query_ && !query_->matches(request.query, request.has_query)) return false;
  return true;
}

// Each header line is one value (a comma inside it is not split); any line may match.
bool RuleConditions::header_matches(const Header& header, const Request& request) const {
  for (const http::HeaderField& field : request.headers) {
    if (!http::iequals(field.name.view(request.base), header.name)) continue;
    if (header.values.matches(field.value.view(request.base))) return true;
  }
  return false;
}

bool RuleConditions::source_matches(const IpAddress& peer) const {
  for (const Cidr& cidr : sources_) {
    if (cidr.contains(peer)) return true;
  }
  return false;
}

}  // namespace tern::router
