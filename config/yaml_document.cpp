#include "config/yaml_document.hpp"

#include <yaml-cpp/eventhandler.h>

#include <sstream>
#include <string>
#include <vector>

#include "config/text.hpp"
#include "config/yaml_reader.hpp"

namespace tern::config {
namespace {

// Records where each document starts; ignores the content.
class DocumentStarts : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> starts;

  void OnDocumentStart(const YAML::Mark& mark) override { starts.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

// Enough documents to see a second one, or the same start twice (no progress).
constexpr size_t kDocumentsToScan = 4;

Mark at_or_start(const YAML::Mark& mark) {
  const Mark at = to_mark(mark);
  return at.line == 0 ? Mark{1, 1} : at;
}

// false after reporting a stuck parser or a second document.
bool check_documents(const std::string& text, Diagnostics& diag) {
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  DocumentStarts documents;
  while (documents.starts.size() < kDocumentsToScan && parser.HandleNextDocument(documents)) {
    const auto& starts = documents.starts;
    if (starts.size() >= 2 && starts.back().pos == starts[starts.size() - 2].pos) {
      const auto pos = static_cast<size_t>(starts.back().pos);
      const std::string found = pos < text.size() ? quote(text.substr(pos, 1)) : "end of file";
      diag.error(at_or_start(starts.back()), "invalid YAML: unexpected " + found);
      return false;
    }
  }
  if (documents.starts.size() < 2) return true;
  diag.error(at_or_start(documents.starts[1]), "only one YAML document is allowed per file");
  return false;
}

}  // namespace

std::optional<YAML::Node> load_single_document(std::string_view text, Diagnostics& diag) {
  const std::string copy(text);
  try {
    if (!check_documents(copy, diag)) return std::nullopt;
    return YAML::Load(copy);
  } catch (const YAML::Exception& e) {
    diag.error(at_or_start(e.mark), "invalid YAML: " + e.msg);
  }
  return std::nullopt;
}

}  // namespace tern::config
