#include "lb/discovery/ecs_target_rule.hpp"

#include <boost/asio/ip/address_v4.hpp>

namespace tern::discovery {
namespace {

bool is_stopping(const EcsTask& task) {
  const std::string& s = task.last_status;
  return task.desired_status == "STOPPED" || s == "DEACTIVATING" || s == "STOPPING" ||
         s == "DEPROVISIONING" || s == "STOPPED";
}

const EcsContainer* find_container(const EcsTask& task, std::string_view name) {
  for (const EcsContainer& c : task.containers) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

// The task's ENI private IPv4: the ENI attachment's detail, else the container's network
// interface (both carry the same address in awsvpc mode).
std::optional<std::string> eni_address(const EcsTask& task, const EcsContainer* container) {
  if (task.eni_ipv4) return task.eni_ipv4;
  if (container != nullptr && !container->private_ipv4s.empty()) {
    return container->private_ipv4s.front();
  }
  return std::nullopt;
}

EcsVerdict verdict(EcsTaskState state, std::string reason) {
  EcsVerdict v;
  v.state = state;
  v.reason = std::move(reason);
  return v;
}

}  // namespace

std::string_view ecs_task_state_name(EcsTaskState state) {
  switch (state) {
    case EcsTaskState::kTarget:
      return "target";
    case EcsTaskState::kStopping:
      return "stopping";
    case EcsTaskState::kNotReady:
      return "not ready";
    case EcsTaskState::kSkipped:
      return "skipped";
  }
  return "skipped";
}

EcsVerdict classify_ecs_task(const EcsTask& task, std::string_view container_name,
                             uint16_t container_port) {
  const EcsContainer* container = find_container(task, container_name);
  std::optional<boost::asio::ip::tcp::endpoint> endpoint;
  const std::optional<std::string> ip = eni_address(task, container);
  std::string bad_ip;
  if (ip) {
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address_v4(*ip, ec);
    if (ec) {
      bad_ip = "ENI address \"" + *ip + "\" is not an IPv4 address";
    } else {
      endpoint.emplace(address, container_port);
    }
  }
  EcsVerdict v;
  if (is_stopping(task)) {
    v = verdict(EcsTaskState::kStopping,
                "desiredStatus is " + task.desired_status + ", lastStatus is " + task.last_status);
  } else if (!ip) {
    return verdict(EcsTaskState::kSkipped,
                   "no ENI (bridge or host network mode is not supported yet)");
  } else if (!bad_ip.empty()) {
    return verdict(EcsTaskState::kSkipped, bad_ip);
  } else if (container == nullptr) {
    return verdict(EcsTaskState::kSkipped,
                   "no container named \"" + std::string(container_name) + "\"");
  } else if (task.last_status != "RUNNING") {
    v = verdict(EcsTaskState::kNotReady, "lastStatus is " + task.last_status);
  } else if (container->last_status != "RUNNING") {
    v = verdict(EcsTaskState::kNotReady,
                "container " + container->name + " is " +
                    (container->last_status.empty() ? std::string("of unknown status")
                                                    : container->last_status));
  } else if (container->health_status && *container->health_status != "UNKNOWN" &&
             *container->health_status != "HEALTHY") {
    v = verdict(EcsTaskState::kNotReady,
                "container " + container->name + " is " + *container->health_status);
  } else {
    v.state = EcsTaskState::kTarget;
  }
  v.endpoint = endpoint;
  return v;
}

}  // namespace tern::discovery
