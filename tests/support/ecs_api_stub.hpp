// A local stand-in for the Amazon ECS API, for end-to-end tests of tern's ECS discovery:
// plain HTTP/1.1 on 127.0.0.1 (port 0 by default; TLS comes later) speaking the real wire
// format (spec/alb-reference.md §10.6): `POST /` with `Content-Type:
// application/x-amz-json-1.1` and `X-Amz-Target: AmazonEC2ContainerServiceV20141113.ListTasks`
// or `.DescribeTasks`, JSON 1.1 bodies, and AWS JSON error shapes (`__type`, `message`, the
// `x-amzn-ErrorType` header).
//
// Every request is authenticated like AWS does it (ecs_stub_auth.hpp): the SigV4
// `Authorization` header is parsed, the key id, session token, scope (date, region, service
// "ecs") and X-Amz-Date (within 5 minutes of the stub's clock) are checked, and the
// signature is recomputed with lb/discovery/sigv4 over exactly the SignedHeaders. A refused
// request gets the error type AWS gives (UnrecognizedClientException,
// InvalidSignatureException, IncompleteSignatureException, MissingAuthenticationTokenException).
//
// The test sets the state: tasks per (cluster, service) with the fields tern reads (lastStatus,
// desiredStatus, version, containers, ENI address). ListTasks lists a service's tasks whose
// desiredStatus matches (RUNNING by default) in pages of maxResults with an opaque nextToken;
// DescribeTasks answers the real Task shape for up to 100 tasks, unknown ones in
// `failures[]` (reason MISSING). Stopped tasks stay describable (ECS keeps them about an hour).
//
// Faults: the next N calls throttled (400 ThrottlingException "Rate exceeded") or failed
// (500 ServerException); connections reset as soon as they are accepted; the port not
// listening for a while (connections refused); stop() closes the port for good.
//
// Thread affinity: the public API may be called from any thread. Internally one accept
// thread plus one thread per connection. Ownership: the test owns the stub; its destructor
// stops the threads and closes every socket.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "lb/discovery/sigv4.hpp"
#include "tests/support/http_message.hpp"
#include "tests/support/socket_io.hpp"

namespace tern::test {

struct EcsStubContainer {
  std::string name = "app";
  std::string last_status = "RUNNING";
  std::optional<std::string> health_status;  // HEALTHY, UNHEALTHY, UNKNOWN; absent = no check
};

struct EcsStubTask {
  std::string task_arn;  // "" = the stub makes one (arn:aws:ecs:REGION:ACCOUNT:task/CLUSTER/ID)
  std::string last_status = "RUNNING";
  std::string desired_status = "RUNNING";
  int64_t version = 1;
  std::vector<EcsStubContainer> containers{EcsStubContainer{}};
  std::string eni_ipv4;  // "" = no ENI attachment (bridge/host network mode)

  // A RUNNING task with one RUNNING container `container` at `ipv4`.
  static EcsStubTask running(std::string ipv4, std::string container = "app");
};

// One request as the stub received it, and what it answered.
struct EcsStubRequest {
  std::string method;
  std::string target;
  Headers headers;
  std::string body;
  std::string operation;   // after the X-Amz-Target prefix; "" when absent
  int status = 0;          // the answer's status
  std::string error_type;  // the answer's error type; "" on success
};

// The cluster's name from "NAME" or "arn:aws:ecs:REGION:ACCOUNT:cluster/NAME".
std::string ecs_cluster_name(std::string_view cluster);

struct EcsApiStubOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  discovery::sigv4::Credentials credentials{"AKIDSTUBEXAMPLE", "stub/secret/key", std::nullopt};
  std::string region = "us-east-1";
  std::string account = "123456789012";
};

class EcsApiStub {
 public:
  explicit EcsApiStub(EcsApiStubOptions options = {});
  ~EcsApiStub();
  EcsApiStub(const EcsApiStub&) = delete;
  EcsApiStub& operator=(const EcsApiStub&) = delete;

  // Stops accepting (the port then refuses connections), closes every connection, joins
  // the threads. Idempotent.
  void stop();

  uint16_t port() const { return port_; }
  std::string address() const;   // "127.0.0.1:PORT" (the Host a client signs)
  std::string endpoint() const;  // "http://127.0.0.1:PORT"
  const std::string& region() const { return options_.region; }
  std::string cluster_arn(std::string_view cluster) const;

  // ---- authentication ----
  void set_credentials(discovery::sigv4::Credentials credentials);
  discovery::sigv4::Credentials credentials() const;
  // The stub's clock is the system clock plus this offset (X-Amz-Date is checked against it).
  void set_clock_offset(std::chrono::seconds offset);

  // ---- state ----
  // Declares an empty service (and its cluster): ListTasks on it answers no tasks rather
  // than ServiceNotFoundException.
  void add_service(std::string_view cluster, std::string_view service);
  // Adds a task to the service (declared if new); returns its ARN.
  std::string add_task(std::string_view cluster, std::string_view service, EcsStubTask task);
  // Changes a task in place and bumps its version. False when the ARN is unknown.
  bool update_task(std::string_view task_arn, const std::function<void(EcsStubTask&)>& change);
  // lastStatus and desiredStatus STOPPED, version bumped: no longer listed (as RUNNING),
  // still described. False when unknown.
  bool stop_task(std::string_view task_arn);
  // Stops `old_arn` and adds `task` to the same service; returns the new ARN ("" when
  // `old_arn` is unknown).
  std::string replace_task(std::string_view old_arn, EcsStubTask task);
  // Forgets a task altogether (DescribeTasks then reports it MISSING).
  bool remove_task(std::string_view task_arn);
  std::optional<EcsStubTask> task(std::string_view task_arn) const;
  std::vector<EcsStubTask> tasks(std::string_view cluster, std::string_view service) const;

  // ---- faults ----
  // The next n authenticated calls answer 400 ThrottlingException "Rate exceeded".
  void throttle_next(size_t n);
  // The next n authenticated calls (after any throttled ones) answer 500 ServerException.
  void fail_next(size_t n);
  // While on, every accepted connection is reset at once, before reading anything.
  void set_reset_connections(bool on);
  // While on, the port stops listening: connecting is refused (ECONNREFUSED), as by an
  // endpoint that is down; off listens again on the same port.
  void set_refuse_connections(bool on);

  // ---- observation ----
  // Requests naming `operation` ("ListTasks", "DescribeTasks"), whatever the answer.
  size_t call_count(std::string_view operation) const;
  size_t request_count() const;
  std::vector<EcsStubRequest> requests() const;
  std::optional<EcsStubRequest> last_request() const;
  bool wait_for_calls(std::string_view operation, size_t n, Millis timeout) const;

 private:
  struct Reply {
    int status = 200;
    std::string error_type;
    std::string error_namespace;
    std::string body;
  };
  struct StoredTask {
    std::string cluster;
    std::string service;
    EcsStubTask task;
  };
  struct Connection {
    int fd = -1;
    std::thread thread;
  };

  void start();
  void accept_loop();
  // On the accept thread: makes the listening socket match refuse_connections_. Returns
  // whether connections are refused.
  bool apply_refusal();
  void serve(uint64_t id, Fd fd);
  void serve_connection(int fd);
  void reap_finished();

  // Answers one request (head parsed, body read); records it.
  Reply handle(const EcsStubRequest& request);
  // The refusal of a request that is not a known operation or not signed right, if any.
  std::optional<Reply> refusal(const EcsStubRequest& request);
  // The injected fault the next authenticated call gets, if any (consumes it).
  std::optional<Reply> take_fault();
  Reply dispatch(const std::string& operation, const std::string& body);
  Reply list_tasks(const std::string& body);
  // The ARNs ListTasks lists, in order, or the error when the cluster or service is unknown.
  std::optional<Reply> listed_arns(std::string_view cluster, const std::string& service,
                                   const std::string& desired,
                                   std::vector<std::string>& arns) const;
  Reply describe_tasks(const std::string& body);
  std::string task_json(const StoredTask& stored) const;
  std::string make_task_arn(std::string_view cluster);

  static Reply error(int status, std::string type, std::string message,
                     std::string ns = "com.amazonaws.ecs");

  EcsApiStubOptions options_;
  uint16_t port_ = 0;
  Fd listen_fd_;
  Fd wake_fd_;
  std::thread accept_thread_;
  std::atomic<bool> stopping_{false};

  mutable std::mutex mu_;
  mutable std::condition_variable changed_;
  std::map<uint64_t, Connection> connections_;
  std::vector<uint64_t> finished_;
  uint64_t accepted_ = 0;
  bool reset_connections_ = false;
  bool refuse_connections_ = false;  // asked for
  bool refusing_ = false;            // applied by the accept thread

  std::chrono::seconds clock_offset_{0};
  std::set<std::pair<std::string, std::string>> services_;  // (cluster name, service)
  std::vector<StoredTask> tasks_;                           // insertion order = ListTasks order
  uint64_t next_task_id_ = 1;
  size_t throttle_left_ = 0;
  size_t fail_left_ = 0;
  std::map<std::string, size_t, std::less<>> calls_;
  std::vector<EcsStubRequest> requests_;
};

}  // namespace tern::test
