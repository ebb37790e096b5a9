// Decoding ECS answers (spec/alb-reference.md §10.4, §10.6): the ListTasks answer
// (`taskArns`, `nextToken`), the DescribeTasks answer (`tasks[]`, `failures[]`), and the
// classification of any answer by HTTP status and AWS JSON 1.1 error shape
// (`{"__type":"com.amazonaws.ecs#ThrottlingException","message":"..."}`, the type also in
// the `x-amzn-ErrorType` header) into ok / throttled / client error / server error.
//
// Unknown keys are ignored (AWS adds fields); a known key of the wrong type, a body that
// is not JSON, too big or nested too deep is an error saying where, never a crash and
// never a silently empty list (the poller keeps its last known targets on an error).
//
// Thread affinity: none (pure functions). Ownership: values only.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "lb/discovery/ecs_task.hpp"

namespace tern::discovery {

// An answer bigger than this is refused (100 tasks with every field are well under it).
inline constexpr size_t kEcsMaxAnswerBytes = 16 * 1024 * 1024;
// Task shapes nest about 8 levels (overrides.containerOverrides[].environment[]); room for
// AWS to add some, and a bound on a hostile answer.
inline constexpr size_t kEcsMaxAnswerDepth = 32;

struct ListTasksAnswer {
  std::vector<std::string> task_arns;
  std::string next_token;  // "" = last page
  std::string error;       // "" = ok; then the rest is empty
};

ListTasksAnswer decode_list_tasks(std::string_view body);

struct EcsFailure {
  std::string arn;
  std::string reason;  // "MISSING", ...
  std::string detail;

  bool operator==(const EcsFailure&) const = default;
};

struct DescribeTasksAnswer {
  std::vector<EcsTask> tasks;
  std::vector<EcsFailure> failures;
  std::string error;  // "" = ok; then the rest is empty
};

DescribeTasksAnswer decode_describe_tasks(std::string_view body);

enum class EcsOutcome : uint8_t { kOk, kThrottled, kClientError, kServerError };

// "ok", "throttled", "client error", "server error".
std::string_view ecs_outcome_name(EcsOutcome outcome);

struct EcsCallResult {
  EcsOutcome outcome = EcsOutcome::kOk;
  std::string error_type;  // "ThrottlingException", "ClientException", ... ("" when none)
  std::string message;     // the answer's message, or what was wrong ("" when ok)

  bool operator==(const EcsCallResult&) const = default;
};

// Classifies an answer: 2xx is ok (the body is then for decode_*); otherwise the error
// type comes from `error_type_header` (x-amzn-ErrorType, "Type:namespace-url" keeps
// "Type") or the body's `__type` (after the last '#'). Throttled: ThrottlingException,
// Throttling, ThrottledException, RequestLimitExceeded, TooManyRequestsException or HTTP
// 429. Server error: ServerException, ServiceUnavailable*, InternalFailure or any other
// 5xx. Everything else is a client error (bad credentials, denied,
// ClientException, a missing cluster or service, a body that is not the error shape).
EcsCallResult classify_ecs_answer(unsigned status, std::string_view error_type_header,
                                  std::string_view body);

}  // namespace tern::discovery
