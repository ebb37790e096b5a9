// Builders for router tests: config rules written in a few words, and requests with real
// header spans over a buffer, as the parser would produce them.
#pragma once

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "config/config.hpp"
#include "lb/http/message_head.hpp"
#include "lb/router/request.hpp"

namespace tern::router::test {

config::MatchValues values(std::initializer_list<const char*> v);
config::MatchValues regexes(std::initializer_list<const char*> v);
config::HeaderCondition header(const char* name, config::MatchValues match);
config::QueryCondition query(const char* value);
config::QueryCondition query(const char* key, const char* value);

config::Action forward(const char* group);
config::Action weighted(std::initializer_list<std::pair<const char*, int>> groups);
config::Action fixed(int status, const char* body);
config::Rule rule(int priority, config::Conditions conditions,
                  config::Action action = forward("rule"));

// One request as rules see it. Headers keep their order; the first Host line is the host
// (unless the target is absolute-form).
class TestRequest {
 public:
  explicit TestRequest(std::string target,
                       std::vector<std::pair<std::string, std::string>> headers = {},
                       std::string method = "GET", std::string peer = "10.0.0.1",
                       uint16_t listener_port = 80, bool https = false);
  TestRequest(const TestRequest&) = delete;
  TestRequest& operator=(const TestRequest&) = delete;

  const Request& request() const { return request_; }
  PrepareStatus status() const { return status_; }
  const http::MessageHead& head() const { return head_; }
  const char* base() const { return buffer_.data(); }

 private:
  std::string buffer_;
  http::MessageHead head_;
  RequestScratch scratch_;
  Request request_;
  PrepareStatus status_ = PrepareStatus::kOk;
};

}  // namespace tern::router::test
