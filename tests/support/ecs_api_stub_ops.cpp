// The ECS API stub's answers (ecs_api_stub.hpp): routing by X-Amz-Target, the SigV4
// check, injected faults, ListTasks and DescribeTasks in the shapes of the ECS API
// reference (spec/alb-reference.md §10.4, §10.6).
#include <algorithm>
#include <boost/json.hpp>

#include "lb/discovery/ecs_requests.hpp"
#include "tests/support/ecs_api_stub.hpp"
#include "tests/support/ecs_stub_auth.hpp"

namespace tern::test {
namespace {

namespace json = boost::json;

constexpr std::string_view kCoral = "com.amazon.coral.service";
constexpr std::string_view kTokenPrefix = "stub-page-";

// A field that must be a string when present; false when present with another type.
bool string_field(const json::object& obj, std::string_view key, std::string& out) {
  const auto* v = obj.if_contains(key);
  if (v == nullptr) return true;
  if (!v->is_string()) return false;
  out = std::string(v->get_string());
  return true;
}

std::string hex_id(std::string_view seed, std::string_view salt) {
  // A stable id derived from the ARN, shaped like AWS's (lower-case hex).
  return discovery::sigv4::sha256_hex(std::string(seed) + std::string(salt)).substr(0, 32);
}

// Where the page of a ListTasks nextToken starts ("" = the first page); nullopt when the
// token is not one the stub gave.
std::optional<size_t> page_offset(const std::string& token) {
  if (token.empty()) return 0;
  if (!token.starts_with(kTokenPrefix)) return std::nullopt;
  const auto n = parse_decimal(std::string_view(token).substr(kTokenPrefix.size()));
  if (!n) return std::nullopt;
  return static_cast<size_t>(*n);
}

}  // namespace

EcsApiStub::Reply EcsApiStub::error(int status, std::string type, std::string message,
                                    std::string ns) {
  Reply r;
  r.status = status;
  r.error_type = type;
  r.error_namespace = std::move(ns);
  json::object body;
  // ThrottlingException comes back bare, as the throttling layer writes it; the others
  // carry their namespace, as the service and the auth layer write them. Clients keep
  // what follows the last '#'.
  body["__type"] = type == "ThrottlingException" ? type : r.error_namespace + "#" + type;
  body["message"] = std::move(message);
  r.body = json::serialize(body);
  return r;
}

EcsApiStub::Reply EcsApiStub::handle(const EcsStubRequest& request) {
  EcsStubRequest rec = request;
  const auto target = find_header(request.headers, "X-Amz-Target");
  if (target && target->starts_with(discovery::kEcsTargetPrefix)) {
    rec.operation = target->substr(discovery::kEcsTargetPrefix.size());
  }
  // AWS authenticates before it throttles: a refused call is never a throttled one.
  std::optional<Reply> reply = refusal(rec);
  if (!reply) reply = take_fault();
  if (!reply) reply = dispatch(rec.operation, request.body);
  rec.status = reply->status;
  rec.error_type = reply->error_type;
  std::lock_guard lock(mu_);
  if (!rec.operation.empty()) ++calls_[rec.operation];
  requests_.push_back(std::move(rec));
  changed_.notify_all();
  return *reply;
}

std::optional<EcsApiStub::Reply> EcsApiStub::refusal(const EcsStubRequest& request) {
  const auto content_type = find_header(request.headers, "Content-Type");
  if (request.method != "POST" || split_target(request.target).first != "/" || !content_type ||
      trim(*content_type) != discovery::kEcsContentType ||
      (request.operation != "ListTasks" && request.operation != "DescribeTasks")) {
    return error(400, "UnknownOperationException", "", std::string(kCoral));
  }
  discovery::sigv4::Credentials credentials;
  std::chrono::system_clock::time_point now;
  {
    std::lock_guard lock(mu_);
    credentials = options_.credentials;
    now = std::chrono::system_clock::now() + clock_offset_;
  }
  const auto auth =
      check_ecs_signature({request.method, request.target, request.headers, request.body},
                          credentials, options_.region, now);
  if (auth) return error(auth->status, auth->type, auth->message, std::string(kCoral));
  return std::nullopt;
}

std::optional<EcsApiStub::Reply> EcsApiStub::take_fault() {
  std::lock_guard lock(mu_);
  if (throttle_left_ > 0) {
    --throttle_left_;
    return error(400, "ThrottlingException", "Rate exceeded", std::string(kCoral));
  }
  if (fail_left_ > 0) {
    --fail_left_;
    return error(500, "ServerException", "Service unavailable. Try again later.");
  }
  return std::nullopt;
}

EcsApiStub::Reply EcsApiStub::dispatch(const std::string& operation, const std::string& body) {
  return operation == "ListTasks" ? list_tasks(body) : describe_tasks(body);
}

EcsApiStub::Reply EcsApiStub::list_tasks(const std::string& body) {
  boost::system::error_code ec;
  const json::value doc = json::parse(body, ec);
  if (ec || !doc.is_object()) {
    return error(400, "SerializationException",
                 "Start of structure or map found where not expected.", std::string(kCoral));
  }
  const json::object& obj = doc.get_object();
  std::string cluster = "default";
  std::string service;
  std::string desired = "RUNNING";
  std::string token;
  int64_t max_results = 100;
  if (!string_field(obj, "cluster", cluster) || !string_field(obj, "serviceName", service) ||
      !string_field(obj, "desiredStatus", desired) || !string_field(obj, "nextToken", token)) {
    return error(400, "SerializationException", "a string field has another type",
                 std::string(kCoral));
  }
  if (const auto* m = obj.if_contains("maxResults")) {
    if (!m->is_int64()) {
      return error(400, "SerializationException", "maxResults is not an integer",
                   std::string(kCoral));
    }
    max_results = m->get_int64();
  }
  if (max_results < 1 || max_results > 100) {
    return error(400, "InvalidParameterException", "maxResults must be between 1 and 100.");
  }
  if (desired != "RUNNING" && desired != "PENDING" && desired != "STOPPED") {
    return error(400, "InvalidParameterException", "Invalid desiredStatus: " + desired);
  }
  std::vector<std::string> arns;
  if (auto refused = listed_arns(cluster, service, desired, arns)) return *refused;
  const auto offset = page_offset(token);
  if (!offset || *offset > arns.size()) {
    return error(400, "InvalidParameterException", "Invalid token " + token);
  }
  json::object out;
  json::array page;
  const size_t end = std::min(arns.size(), *offset + static_cast<size_t>(max_results));
  for (size_t i = *offset; i < end; ++i) page.emplace_back(arns[i]);
  out["taskArns"] = std::move(page);
  if (end < arns.size()) out["nextToken"] = std::string(kTokenPrefix) + std::to_string(end);
  Reply r;
  r.body = json::serialize(out);
  return r;
}

std::optional<EcsApiStub::Reply> EcsApiStub::listed_arns(std::string_view cluster,
                                                         const std::string& service,
                                                         const std::string& desired,
                                                         std::vector<std::string>& arns) const {
  std::lock_guard lock(mu_);
  const std::string name = ecs_cluster_name(cluster);
  if (std::none_of(services_.begin(), services_.end(),
                   [&](const auto& s) { return s.first == name; })) {
    return error(400, "ClusterNotFoundException", "Cluster not found.");
  }
  if (!service.empty() && services_.count({name, service}) == 0) {
    return error(400, "ServiceNotFoundException", "Service not found.");
  }
  for (const auto& stored : tasks_) {
    if (stored.cluster == name && (service.empty() || stored.service == service) &&
        stored.task.desired_status == desired) {
      arns.push_back(stored.task.task_arn);
    }
  }
  return std::nullopt;
}

EcsApiStub::Reply EcsApiStub::describe_tasks(const std::string& body) {
  boost::system::error_code ec;
  const json::value doc = json::parse(body, ec);
  if (ec || !doc.is_object()) {
    return error(400, "SerializationException",
                 "Start of structure or map found where not expected.", std::string(kCoral));
  }
  const json::object& obj = doc.get_object();
  std::string cluster = "default";
  const auto* list = obj.if_contains("tasks");
  if (!string_field(obj, "cluster", cluster) || (list != nullptr && !list->is_array())) {
    return error(400, "SerializationException", "a field has another type", std::string(kCoral));
  }
  if (list == nullptr || list->get_array().empty()) {
    return error(400, "InvalidParameterException", "Tasks cannot be empty.");
  }
  if (list->get_array().size() > discovery::kEcsMaxTasksPerCall) {
    return error(400, "InvalidParameterException",
                 "Too many tasks were provided. The maximum is 100.");
  }
  json::array tasks;
  json::array failures;
  std::lock_guard lock(mu_);
  const std::string name = ecs_cluster_name(cluster);
  if (std::none_of(services_.begin(), services_.end(),
                   [&](const auto& s) { return s.first == name; })) {
    return error(400, "ClusterNotFoundException", "Cluster not found.");
  }
  for (const auto& v : list->get_array()) {
    if (!v.is_string()) {
      return error(400, "SerializationException", "tasks[] holds a non-string",
                   std::string(kCoral));
    }
    const std::string want(v.get_string());
    const std::string arn = want.starts_with("arn:")
                                ? want
                                : "arn:aws:ecs:" + options_.region + ":" + options_.account +
                                      ":task/" + name + "/" + want;
    const auto it = std::find_if(tasks_.begin(), tasks_.end(), [&](const StoredTask& s) {
      return s.cluster == name && s.task.task_arn == arn;
    });
    if (it == tasks_.end()) {
      failures.emplace_back(json::object{{"arn", arn}, {"reason", "MISSING"}});
    } else {
      tasks.emplace_back(json::parse(task_json(*it)));
    }
  }
  Reply r;
  r.body =
      json::serialize(json::object{{"tasks", std::move(tasks)}, {"failures", std::move(failures)}});
  return r;
}

// The Task shape of a Fargate service task in awsvpc mode (alb-reference §10.4). Called
// with mu_ held.
std::string EcsApiStub::task_json(const StoredTask& stored) const {
  const EcsStubTask& t = stored.task;
  const std::string prefix = "arn:aws:ecs:" + options_.region + ":" + options_.account;
  const std::string attachment_id = hex_id(t.task_arn, "eni");
  json::array containers;
  for (const auto& c : t.containers) {
    json::object jc{{"containerArn", prefix + ":container/" + hex_id(t.task_arn, c.name)},
                    {"taskArn", t.task_arn},
                    {"name", c.name},
                    {"lastStatus", c.last_status},
                    {"networkBindings", json::array{}},
                    {"cpu", "0"}};
    json::array nics;
    if (!t.eni_ipv4.empty()) {
      nics.emplace_back(
          json::object{{"attachmentId", attachment_id}, {"privateIpv4Address", t.eni_ipv4}});
    }
    jc["networkInterfaces"] = std::move(nics);
    if (c.health_status) jc["healthStatus"] = *c.health_status;
    containers.emplace_back(std::move(jc));
  }
  json::array attachments;
  if (!t.eni_ipv4.empty()) {
    const std::string eni = "eni-" + hex_id(t.task_arn, "nic").substr(0, 17);
    json::array details{json::object{{"name", "subnetId"}, {"value", "subnet-12344321"}},
                        json::object{{"name", "networkInterfaceId"}, {"value", eni}},
                        json::object{{"name", "macAddress"}, {"value", "0a:90:09:84:f9:14"}},
                        json::object{{"name", "privateIPv4Address"}, {"value", t.eni_ipv4}}};
    attachments.emplace_back(json::object{{"id", attachment_id},
                                          {"type", "ElasticNetworkInterface"},
                                          {"status", "ATTACHED"},
                                          {"details", std::move(details)}});
  }
  json::object task{{"taskArn", t.task_arn},
                    {"clusterArn", prefix + ":cluster/" + stored.cluster},
                    {"taskDefinitionArn", prefix + ":task-definition/" + stored.service + ":1"},
                    {"lastStatus", t.last_status},
                    {"desiredStatus", t.desired_status},
                    {"cpu", "256"},
                    {"memory", "512"},
                    {"containers", std::move(containers)},
                    {"startedBy", "ecs-svc/1234567890123456789"},
                    {"version", t.version},
                    {"connectivity", "CONNECTED"},
                    {"createdAt", 1557134011.644},
                    {"group", "service:" + stored.service},
                    {"launchType", "FARGATE"},
                    {"platformVersion", "1.4.0"},
                    {"attachments", std::move(attachments)},
                    {"healthStatus", "UNKNOWN"},
                    {"tags", json::array{}}};
  return json::serialize(task);
}

}  // namespace tern::test
