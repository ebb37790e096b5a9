#include "lb/discovery/ecs_answers.hpp"

#include <boost/json.hpp>

#include "lb/discovery/ecs_json.hpp"

namespace tern::discovery {
namespace {

namespace json = boost::json;
using ecs_json::as_object;
using ecs_json::read_optional_array;
using ecs_json::read_optional_string;

// The root object of an answer, or the error.
const json::object* parse_root(std::string_view body, json::value& document, std::string& error) {
  error = ecs_json::parse(body, kEcsMaxAnswerBytes, kEcsMaxAnswerDepth, document);
  if (!error.empty()) return nullptr;
  return as_object(document, "answer", error);
}

std::string decode_failure(const json::value& v, const std::string& where, EcsFailure& out) {
  std::string error;
  const json::object* o = as_object(v, where, error);
  if (o == nullptr) return error;
  std::optional<std::string> text;
  if (error = read_optional_string(*o, "arn", where, text); !error.empty()) return error;
  out.arn = text.value_or("");
  if (error = read_optional_string(*o, "reason", where, text); !error.empty()) return error;
  out.reason = text.value_or("");
  if (error = read_optional_string(*o, "detail", where, text); !error.empty()) return error;
  out.detail = text.value_or("");
  return {};
}

std::string decode_describe_into(std::string_view body, DescribeTasksAnswer& out) {
  json::value document;
  std::string error;
  const json::object* root = parse_root(body, document, error);
  if (root == nullptr) return error;
  const json::array* tasks = read_optional_array(*root, "tasks", "", error);
  if (!error.empty()) return error;
  for (size_t i = 0; tasks != nullptr && i < tasks->size(); ++i) {
    EcsTask task;
    if (error = decode_ecs_task((*tasks)[i], "tasks[" + std::to_string(i) + "]", task);
        !error.empty()) {
      return error;
    }
    out.tasks.push_back(std::move(task));
  }
  const json::array* failures = read_optional_array(*root, "failures", "", error);
  if (!error.empty()) return error;
  for (size_t i = 0; failures != nullptr && i < failures->size(); ++i) {
    EcsFailure failure;
    if (error = decode_failure((*failures)[i], "failures[" + std::to_string(i) + "]", failure);
        !error.empty()) {
      return error;
    }
    out.failures.push_back(std::move(failure));
  }
  return {};
}

std::string decode_list_into(std::string_view body, ListTasksAnswer& out) {
  json::value document;
  std::string error;
  const json::object* root = parse_root(body, document, error);
  if (root == nullptr) return error;
  const json::array* arns = read_optional_array(*root, "taskArns", "", error);
  if (!error.empty()) return error;
  if (arns == nullptr) return "taskArns: missing";
  for (size_t i = 0; i < arns->size(); ++i) {
    const json::value& v = (*arns)[i];
    if (!v.is_string() || v.as_string().empty()) {
      return "taskArns[" + std::to_string(i) + "]: expected a task ARN, got " +
             (v.is_string() ? std::string("an empty string") : std::string(ecs_json::kind_name(v)));
    }
    out.task_arns.emplace_back(v.as_string());
  }
  std::optional<std::string> token;
  if (error = read_optional_string(*root, "nextToken", "", token); !error.empty()) return error;
  out.next_token = token.value_or("");
  return {};
}

bool is_one_of(std::string_view type, std::initializer_list<std::string_view> names) {
  for (std::string_view n : names) {
    if (type == n) return true;
  }
  return false;
}

// "com.amazonaws.ecs#ThrottlingException" → "ThrottlingException";
// "ThrottlingException:http://internal.amazon.com/coral/..." → "ThrottlingException".
std::string short_type(std::string_view type) {
  if (const size_t hash = type.rfind('#'); hash != std::string_view::npos) {
    type.remove_prefix(hash + 1);
  }
  if (const size_t colon = type.find(':'); colon != std::string_view::npos) {
    type = type.substr(0, colon);
  }
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  return std::string(type);
}

// The error body's type and message, when it has the JSON error shape.
void read_error_body(std::string_view body, std::string& type, std::string& message) {
  json::value document;
  if (!ecs_json::parse(body, kEcsMaxAnswerBytes, kEcsMaxAnswerDepth, document).empty()) return;
  if (!document.is_object()) return;
  const json::object& o = document.as_object();
  if (const json::value* t = o.if_contains("__type"); t != nullptr && t->is_string()) {
    type = short_type(t->as_string());
  }
  for (std::string_view key : {"message", "Message"}) {
    if (const json::value* m = o.if_contains(key); m != nullptr && m->is_string()) {
      message = std::string(m->as_string());
      break;
    }
  }
}

}  // namespace

ListTasksAnswer decode_list_tasks(std::string_view body) {
  ListTasksAnswer answer;
  answer.error = decode_list_into(body, answer);
  if (!answer.error.empty()) {
    answer.task_arns.clear();
    answer.next_token.clear();
  }
  return answer;
}

DescribeTasksAnswer decode_describe_tasks(std::string_view body) {
  DescribeTasksAnswer answer;
  answer.error = decode_describe_into(body, answer);
  if (!answer.error.empty()) {
    answer.tasks.clear();
    answer.failures.clear();
  }
  return answer;
}

std::string_view ecs_outcome_name(EcsOutcome outcome) {
  switch (outcome) {
    case EcsOutcome::kOk:
      return "ok";
    case EcsOutcome::kThrottled:
      return "throttled";
    case EcsOutcome::kClientError:
      return "client error";
    case EcsOutcome::kServerError:
      return "server error";
  }
  return "client error";
}

EcsCallResult classify_ecs_answer(unsigned status, std::string_view error_type_header,
                                  std::string_view body) {
  EcsCallResult result;
  if (status >= 200 && status < 300) return result;
  std::string body_type;
  read_error_body(body, body_type, result.message);
  result.error_type = short_type(error_type_header);
  if (result.error_type.empty()) result.error_type = body_type;
  if (result.message.empty()) {
    result.message = "HTTP " + std::to_string(status) +
                     (result.error_type.empty() ? " without an AWS error body" : "");
  }
  const std::string& type = result.error_type;
  if (status == 429 || is_one_of(type, {"ThrottlingException", "Throttling", "ThrottledException",
                                        "RequestLimitExceeded", "TooManyRequestsException"})) {
    result.outcome = EcsOutcome::kThrottled;
  } else if (is_one_of(type, {"ServerException", "ServiceUnavailable",
                              "ServiceUnavailableException", "InternalFailure"}) ||
             status >= 500) {
    result.outcome = EcsOutcome::kServerError;
  } else {
    result.outcome = EcsOutcome::kClientError;
  }
  return result;
}

}  // namespace tern::discovery
