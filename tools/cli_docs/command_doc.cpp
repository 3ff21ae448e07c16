#include "command_doc.hpp"

#include <sstream>

namespace kbc::cli_docs {

namespace {

// CLI11 words the type of an option as "NAME:check:check" (e.g. "N:INT in [1 - 64]",
// "LEVEL:{trace,debug}"); a check that reads "{a,b,c}" lists the only values allowed.
void read_type_name(const std::string& full, OptionDoc& option) {
  std::vector<std::string> parts;
  std::stringstream in(full);
  for (std::string part; std::getline(in, part, ':');) parts.push_back(part);
  if (parts.empty()) return;
  option.value_name = parts.front();
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const auto& check = parts[i];
    if (check.size() >= 2 && check.front() == '{' && check.back() == '}') {
      std::stringstream items(check.substr(1, check.size() - 2));
      for (std::string item; std::getline(items, item, ',');) option.choices.push_back(item);
    } else {
      option.constraint += (option.constraint.empty() ? "" : "; ") + check;
    }
  }
}

ValueKind value_kind_of(const OptionDoc& option) {
  if (!option.takes_value) return ValueKind::none;
  if (!option.choices.empty()) return ValueKind::choice;
  if (option.value_name == "FILE" || option.value_name == "PATH") return ValueKind::file;
  if (option.value_name == "DIR") return ValueKind::directory;
  return ValueKind::text;
}

OptionDoc describe_option(CLI::Option& option) {
  OptionDoc doc;
  doc.positional = option.get_positional() && !option.nonpositional();
  if (doc.positional) {
    doc.names.push_back(option.get_name(true, false));
  } else {
    for (const auto& name : option.get_snames()) doc.names.push_back("-" + name);
    for (const auto& name : option.get_lnames()) doc.names.push_back("--" + name);
  }
  doc.takes_value = option.get_items_expected_max() > 0;
  const auto policy = option.get_multi_option_policy();
  doc.repeatable = option.get_items_expected_max() > 1 || policy == CLI::MultiOptionPolicy::TakeAll ||
                   policy == CLI::MultiOptionPolicy::Join;
  doc.required = option.get_required();
  if (doc.takes_value) read_type_name(option.get_type_name(), doc);
  doc.value_kind = value_kind_of(doc);
  doc.default_value = option.get_default_str();
  doc.description = option.get_description();
  doc.group = option.get_group();
  return doc;
}

CommandDoc describe_command(CLI::App& app, const std::string& program, std::vector<std::string> path) {
  CommandDoc doc;
  doc.program = program;
  doc.path = std::move(path);
  doc.description = app.get_description();
  doc.footer = doc.path.empty() ? app.get_footer() : "";
  doc.fallthrough = !doc.path.empty() && app.get_fallthrough();
  for (auto* option : app.get_options()) {
    if (option->get_group().empty()) continue;  // hidden from --help: hidden here too
    auto described = describe_option(*option);
    (described.positional ? doc.positionals : doc.options).push_back(std::move(described));
  }
  for (auto* sub : app.get_subcommands([](CLI::App* candidate) { return !candidate->get_group().empty(); })) {
    auto sub_path = doc.path;
    sub_path.push_back(sub->get_name());
    doc.subcommands.push_back(describe_command(*sub, program, std::move(sub_path)));
  }
  return doc;
}

}  // namespace

std::string CommandDoc::full_name() const {
  std::string name = program;
  for (const auto& word : path) name += " " + word;
  return name;
}

CommandDoc describe(CLI::App& app, const std::string& program) { return describe_command(app, program, {}); }

std::vector<const OptionDoc*> accepted_options(const std::vector<const CommandDoc*>& lineage) {
  std::vector<const OptionDoc*> accepted;
  for (auto level = lineage.rbegin(); level != lineage.rend(); ++level) {
    for (const auto& option : (*level)->options) accepted.push_back(&option);
    if (!(*level)->fallthrough) break;
  }
  return accepted;
}

}  // namespace kbc::cli_docs
