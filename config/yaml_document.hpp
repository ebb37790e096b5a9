// Turns the text of a config file into the root node of its single YAML document.
//
// Guards against yaml-cpp 0.7 parser defects: its LoadAll loops forever, allocating, on
// some malformed input (a stray ',' where a node should start; jbeder/yaml-cpp#1040, fixed
// upstream by #1319) and Load then returns an empty document instead of an error. So the
// documents are first counted with a bounded event pass that detects a parser that stops
// making progress and reports it as a syntax error. Thread affinity: one loader call at a
// time. Ownership: returns a node that owns its document.
#pragma once

#include <optional>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "config/diagnostics.hpp"

namespace tern::config {

// The root of the only document (a Null node for an empty file), or nullopt after
// reporting a syntax error or a second document.
std::optional<YAML::Node> load_single_document(std::string_view text, Diagnostics& diag);

}  // namespace tern::config
