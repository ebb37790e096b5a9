#include "tests/unit/router/router_test_util.hpp"

#include <stdexcept>

namespace tern::router::test {

config::MatchValues values(std::initializer_list<const char*> v) {
  config::MatchValues m;
  for (const char* s : v) m.values.emplace_back(s);
  return m;
}

config::MatchValues regexes(std::initializer_list<const char*> v) {
  config::MatchValues m;
  for (const char* s : v) m.regex_values.emplace_back(s);
  return m;
}

config::HeaderCondition header(const char* name, config::MatchValues match) {
  return {name, std::move(match)};
}

config::QueryCondition query(const char* value) {
  return {std::nullopt, value, {}};
}
config::QueryCondition query(const char* key, const char* value) {
  return {key, value, {}};
}

config::Action forward(const char* group) {
  config::Action a;
  a.type = config::Action::Type::kForward;
  a.forward.target_groups.push_back({group, 1, {}});
  return a;
}

config::Action weighted(std::initializer_list<std::pair<const char*, int>> groups) {
  config::Action a;
  a.type = config::Action::Type::kForward;
  for (const auto& [name, weight] : groups) a.forward.target_groups.push_back({name, weight, {}});
  return a;
}

config::Action fixed(int status, const char* body) {
  config::Action a;
  a.type = config::Action::Type::kFixedResponse;
  a.fixed_response.status_code = status;
  a.fixed_response.message_body = body;
  return a;
}

config::Rule rule(int priority, config::Conditions conditions, config::Action action) {
  config::Rule r;
  r.priority = priority;
  r.conditions = std::move(conditions);
  r.action = std::move(action);
  return r;
}

TestRequest::TestRequest(std::string target,
                         std::vector<std::pair<std::string, std::string>> headers,
                         std::string method, std::string peer, uint16_t listener_port, bool https) {
  auto add = [&](const std::string& text) {
    http::Span span{static_cast<uint32_t>(buffer_.size()), static_cast<uint32_t>(text.size())};
    buffer_.append(text);
    return span;
  };
  head_.method_text = add(method);
  head_.target = add(target);
  for (const auto& [name, value] : headers) {
    http::HeaderField field;
    field.name = add(name);
    field.value = add(value);
    head_.headers.push_back(field);
  }
  auto address = IpAddress::parse(peer);
  if (!address) throw std::invalid_argument("bad peer " + peer);
  ConnectionInfo connection{*address, listener_port, https};
  status_ = prepare_request(head_, buffer_.data(), connection, scratch_, request_);
}

}  // namespace tern::router::test
