#include "tests/support/config_text.hpp"

namespace tern::test {
namespace {

void append_indented(std::string& out, const std::string& text, const std::string& indent) {
  size_t start = 0;
  while (start <= text.size()) {
    const size_t nl = text.find('\n', start);
    const std::string line = text.substr(start, nl == std::string::npos ? nl : nl - start);
    if (!line.empty()) out += indent + line + "\n";
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
}

}  // namespace

std::string to_yaml(const ConfigSpec& spec) {
  std::string out;
  for (const auto& line : spec.top) append_indented(out, line, "");
  out += "listeners:\n";
  for (const auto& l : spec.listeners) {
    out += "  - name: " + l.name + "\n";
    out += "    bind: " + l.bind + "\n";
    for (const auto& e : l.extra) append_indented(out, e, "    ");
    out += "    default_action: { forward: { target_group: " + l.target_group + " } }\n";
  }
  out += "target_groups:\n";
  for (const auto& g : spec.groups) {
    out += "  - name: " + g.name + "\n";
    out += "    targets: [";
    for (size_t i = 0; i < g.targets.size(); ++i) out += (i ? ", " : "") + g.targets[i];
    out += "]\n";
    for (const auto& e : g.extra) append_indented(out, e, "    ");
  }
  return out;
}

std::string simple_config(const std::vector<std::string>& targets,
                          const std::vector<std::string>& listener_extra,
                          const std::vector<std::string>& top) {
  ConfigSpec spec;
  spec.top = top;
  ListenerSpec listener;
  listener.extra = listener_extra;
  spec.listeners.push_back(listener);
  TargetGroupSpec group;
  group.targets = targets;
  spec.groups.push_back(group);
  return to_yaml(spec);
}

}  // namespace tern::test
