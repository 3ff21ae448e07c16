#include "cli/usage_errors.hpp"

#include <vector>

#include "config/suggest.hpp"

namespace kbc::cli {

namespace {

std::string joined(const std::vector<std::string>& words, const std::string& last_separator) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? last_separator : ", ";
    out += words[i];
  }
  return out;
}

std::vector<std::string> command_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const auto* command : app.get_subcommands([](const CLI::App*) { return true; }))
    names.push_back(command->get_name());
  return names;
}

const CLI::App* subcommand_named(const CLI::App& app, const std::string& name) {
  for (const auto* command : app.get_subcommands([](const CLI::App*) { return true; }))
    if (command->get_name() == name) return command;
  return nullptr;
}

// A near typo ("--dryrun"), or the one name the word begins ("--dry" for "--dry-run").
std::optional<std::string> nearest(const std::string& word, const std::vector<std::string>& candidates) {
  const std::vector<std::string_view> views(candidates.begin(), candidates.end());
  if (auto close = config::closest_match(word, views)) return close;
  std::optional<std::string> extended;
  for (const auto& candidate : candidates) {
    if (!candidate.starts_with(word) || candidate == extended) continue;
    if (extended) return std::nullopt;  // several: no guess
    extended = candidate;
  }
  return extended;
}

// The long names of the flags `command` and the commands above it take ("--dry-run").
std::vector<std::string> flag_names(const CLI::App& command) {
  std::vector<std::string> names;
  for (const CLI::App* level = &command; level != nullptr; level = level->get_parent())
    for (const auto* option : level->get_options())
      for (const auto& name : option->get_lnames()) names.push_back("--" + name);
  return names;
}

// An option of the top level that takes a value in the next argument ("--log-level debug").
bool takes_value(const CLI::App& app, const std::string& arg) {
  if (!arg.starts_with("--") || arg.find('=') != std::string::npos) return false;
  const auto* option = app.get_option_no_throw(arg);
  return option != nullptr && option->get_items_expected_max() > 0;
}

std::string unknown_command(const std::string& path, const std::string& word, const std::vector<std::string>& known) {
  std::string message = word.empty() ? (path.empty() ? "a command is required" : "\"" + path + "\" needs a command")
                                     : "unknown command \"" + (path.empty() ? "" : path + " ") + word + "\"";
  if (const auto meant = word.empty() ? std::nullopt : nearest(word, known))
    return message + "; did you mean \"" + (path.empty() ? "" : path + " ") + *meant + "\"?";
  std::vector<std::string> full;
  for (const auto& name : known) full.push_back(path.empty() ? name : path + " " + name);
  return message + ": " + joined(full, " or ");
}

}  // namespace

std::optional<std::string> explain_usage_error(const CLI::App& app, const CLI::ParseError& error, int argc,
                                               const char* const* argv) {
  // Walk the words as CLI11 does: the commands named so far, the first word that is none.
  const CLI::App* level = &app;
  std::string path;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") break;
    if (arg.starts_with("-")) {
      if (level == &app && takes_value(app, arg)) ++i;
      if (dynamic_cast<const CLI::ExtrasError*>(&error) && arg.starts_with("--") &&
          level->get_option_no_throw(arg.substr(0, arg.find('='))) == nullptr) {
        const std::string flag = arg.substr(0, arg.find('='));
        bool known_above = false;
        for (const CLI::App* up = level->get_parent(); up != nullptr; up = up->get_parent())
          known_above = known_above || up->get_option_no_throw(flag) != nullptr;
        if (known_above) continue;
        std::string message = "unknown flag " + flag + (path.empty() ? "" : " for \"" + path + "\"");
        if (const auto meant = nearest(flag, flag_names(*level))) return message + "; did you mean " + *meant + "?";
        return message + "; see 'kbc-storage-extract " + (path.empty() ? "" : path + " ") + "--help'";
      }
      continue;
    }
    const auto known = command_names(*level);
    if (known.empty()) continue;  // a command's own argument (CONFIG)
    const auto* next = subcommand_named(*level, arg);
    if (next == nullptr) return unknown_command(path, arg, known);
    level = next;
    path += (path.empty() ? "" : " ") + arg;
  }
  if (dynamic_cast<const CLI::RequiredError*>(&error) && !command_names(*level).empty())
    return unknown_command(path, "", command_names(*level));
  return std::nullopt;
}

}  // namespace kbc::cli
