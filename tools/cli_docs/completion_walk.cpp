#include "completion_walk.hpp"

namespace kbc::cli_docs {

namespace {

void walk(std::vector<const CommandDoc*>& lineage,
          const std::function<void(const std::vector<const CommandDoc*>&)>& visit) {
  visit(lineage);
  for (const auto& sub : lineage.back()->subcommands) {
    lineage.push_back(&sub);
    walk(lineage, visit);
    lineage.pop_back();
  }
}

}  // namespace

void for_each_command(const CommandDoc& root,
                      const std::function<void(const std::vector<const CommandDoc*>& lineage)>& visit) {
  std::vector<const CommandDoc*> lineage{&root};
  walk(lineage, visit);
}

std::string path_words(const CommandDoc& command) {
  std::string words;
  for (const auto& word : command.path) words += (words.empty() ? "" : " ") + word;
  return words;
}

std::string function_name(const std::string& program) {
  std::string name = "_";
  for (char c : program) name += (c == '-' || c == '.') ? '_' : c;
  return name;
}

}  // namespace kbc::cli_docs
