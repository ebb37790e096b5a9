#include "lb/discovery/ecs_task.hpp"

#include <boost/json.hpp>

#include "lb/discovery/ecs_json.hpp"

namespace tern::discovery {
namespace {

namespace json = boost::json;
using ecs_json::as_object;
using ecs_json::read_optional_array;
using ecs_json::read_optional_integer;
using ecs_json::read_optional_string;
using ecs_json::read_string;

std::string index(const std::string& where, std::string_view key, size_t i) {
  return where + "." + std::string(key) + "[" + std::to_string(i) + "]";
}

std::string decode_container(const json::value& v, const std::string& where, EcsContainer& out) {
  std::string error;
  const json::object* o = as_object(v, where, error);
  if (o == nullptr) return error;
  if (error = read_string(*o, "name", where, out.name); !error.empty()) return error;
  std::optional<std::string> last;
  if (error = read_optional_string(*o, "lastStatus", where, last); !error.empty()) return error;
  out.last_status = last.value_or("");
  if (error = read_optional_string(*o, "healthStatus", where, out.health_status); !error.empty()) {
    return error;
  }
  const json::array* nis = read_optional_array(*o, "networkInterfaces", where, error);
  if (!error.empty()) return error;
  for (size_t i = 0; nis != nullptr && i < nis->size(); ++i) {
    const std::string at = index(where, "networkInterfaces", i);
    const json::object* ni = as_object((*nis)[i], at, error);
    if (ni == nullptr) return error;
    std::optional<std::string> ip;
    if (error = read_optional_string(*ni, "privateIpv4Address", at, ip); !error.empty()) {
      return error;
    }
    if (ip) out.private_ipv4s.push_back(std::move(*ip));
  }
  return {};
}

// The privateIPv4Address of an ENI attachment, if `v` is one.
std::string decode_attachment(const json::value& v, const std::string& where,
                              std::optional<std::string>& ip) {
  std::string error;
  const json::object* o = as_object(v, where, error);
  if (o == nullptr) return error;
  std::optional<std::string> type;
  if (error = read_optional_string(*o, "type", where, type); !error.empty()) return error;
  const json::array* details = read_optional_array(*o, "details", where, error);
  if (!error.empty()) return error;
  // DescribeTasks says ElasticNetworkInterface, events say eni (alb-reference.md §10.3).
  const bool eni = type == "ElasticNetworkInterface" || type == "eni";
  for (size_t i = 0; details != nullptr && i < details->size(); ++i) {
    const std::string at = index(where, "details", i);
    const json::object* d = as_object((*details)[i], at, error);
    if (d == nullptr) return error;
    std::optional<std::string> name;
    std::optional<std::string> value;
    if (error = read_optional_string(*d, "name", at, name); !error.empty()) return error;
    if (error = read_optional_string(*d, "value", at, value); !error.empty()) return error;
    if (eni && !ip && name == "privateIPv4Address" && value) ip = value;
  }
  return {};
}

std::string decode_lists(const json::object& o, const std::string& where, EcsTask& out) {
  std::string error;
  const json::array* containers = read_optional_array(o, "containers", where, error);
  if (!error.empty()) return error;
  for (size_t i = 0; containers != nullptr && i < containers->size(); ++i) {
    EcsContainer c;
    if (error = decode_container((*containers)[i], index(where, "containers", i), c);
        !error.empty()) {
      return error;
    }
    out.containers.push_back(std::move(c));
  }
  const json::array* attachments = read_optional_array(o, "attachments", where, error);
  if (!error.empty()) return error;
  for (size_t i = 0; attachments != nullptr && i < attachments->size(); ++i) {
    if (error = decode_attachment((*attachments)[i], index(where, "attachments", i), out.eni_ipv4);
        !error.empty()) {
      return error;
    }
  }
  return {};
}

}  // namespace

std::string decode_ecs_task(const json::value& v, const std::string& where, EcsTask& out) {
  out = EcsTask{};
  std::string error;
  const json::object* o = as_object(v, where, error);
  if (o == nullptr) return error;
  if (error = read_string(*o, "taskArn", where, out.task_arn); !error.empty()) return error;
  if (out.task_arn.empty()) return where + ".taskArn: must not be empty";
  if (error = read_string(*o, "lastStatus", where, out.last_status); !error.empty()) return error;
  std::optional<std::string> text;
  if (error = read_optional_string(*o, "desiredStatus", where, text); !error.empty()) return error;
  out.desired_status = text.value_or("");
  if (error = read_optional_string(*o, "clusterArn", where, text); !error.empty()) return error;
  out.cluster_arn = text.value_or("");
  if (error = read_optional_string(*o, "group", where, text); !error.empty()) return error;
  out.group = text.value_or("");
  if (error = read_optional_integer(*o, "version", where, out.version); !error.empty()) {
    return error;
  }
  return decode_lists(*o, where, out);
}

}  // namespace tern::discovery
