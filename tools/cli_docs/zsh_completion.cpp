#include "zsh_completion.hpp"

#include <sstream>

#include "completion_walk.hpp"

namespace kbc::cli_docs {

namespace {

// Inside a single-quoted _arguments spec: a quote closes and reopens; [ ] : \ are escaped.
std::string spec_text(const std::string& text, bool escape_colon = true) {
  std::string out;
  for (char c : text) {
    if (c == '\'') out += "'\\''";
    else if (c == '[' || c == ']' || c == '\\' || (escape_colon && c == ':')) out += std::string("\\") + c;
    else out += c;
  }
  return out;
}

std::string value_action(const OptionDoc& option) {
  switch (option.value_kind) {
    case ValueKind::choice: {
      std::string values;
      for (const auto& choice : option.choices) values += (values.empty() ? "" : " ") + spec_text(choice);
      return "(" + values + ")";
    }
    case ValueKind::file: return "_files";
    case ValueKind::directory: return "_files -/";
    default: return " ";
  }
}

// One spec per name, so a name is never hidden in a brace expansion: '--table=[help]:NAME:action'.
void write_option_specs(std::ostream& out, const OptionDoc& option) {
  for (const auto& name : option.names) {
    out << "    '" << (option.repeatable ? "*" : "") << name;
    if (option.takes_value) out << (name.rfind("--", 0) == 0 ? "=" : "+");
    out << "[" << spec_text(option.description) << "]";
    if (option.takes_value) out << ":" << spec_text(option.value_name) << ":" << value_action(option);
    out << "' \\\n";
  }
}

std::string command_function(const std::string& program, const CommandDoc& command) {
  auto name = function_name(program);
  for (const auto& word : command.path) name += "__" + function_name(word).substr(1);
  return name;
}

void write_command(std::ostream& out, const CommandDoc& command) {
  const auto name = command_function(command.program, command);
  out << "# " << command.full_name() << "\n" << name << "() {\n";
  if (!command.subcommands.empty()) out << "  local curcontext=$curcontext state line\n  typeset -A opt_args\n";
  out << "  _arguments -s " << (command.subcommands.empty() ? "" : "-C ") << "\\\n";
  for (const auto& option : command.options) write_option_specs(out, option);
  if (command.subcommands.empty()) {
    for (std::size_t i = 0; i < command.positionals.size(); ++i) {
      const auto& positional = command.positionals[i];
      out << "    '" << (positional.repeatable ? std::string("*") : std::to_string(i + 1)) << ":"
          << spec_text(positional.names.front()) << ":" << value_action(positional) << "' \\\n";
    }
    out << "    && return 0\n}\n\n";
    return;
  }
  out << "    '1:command:->command' \\\n    '*::arg:->args' \\\n    && return 0\n"
      << "  case $state in\n    command)\n      local -a commands\n      commands=(\n";
  for (const auto& sub : command.subcommands)
    out << "        '" << spec_text(sub.path.back()) << ":" << spec_text(sub.description, false) << "'\n";
  out << "      )\n      _describe -t commands '" << spec_text(command.full_name()) << " command' commands ;;\n"
      << "    args)\n      case $line[1] in\n";
  for (const auto& sub : command.subcommands)
    out << "        " << sub.path.back() << ") " << command_function(command.program, sub) << " ;;\n";
  out << "      esac ;;\n  esac\n}\n\n";
}

}  // namespace

std::string zsh_completion(const CommandDoc& program) {
  std::ostringstream out;
  out << "#compdef " << program.program << "\n"
      << "# zsh completion for " << program.program
      << ". Generated from its CLI definition by kbc-cli-docs (tools/cli_docs) at build time: do not edit.\n"
      << "# Installed as share/zsh/vendor-completions/_" << program.program << " (in Debian's default $fpath).\n\n";
  // The program's own function last: it is the one called below.
  std::vector<const CommandDoc*> order;
  for_each_command(program, [&order](const std::vector<const CommandDoc*>& lineage) { order.push_back(lineage.back()); });
  for (auto it = order.rbegin(); it != order.rend(); ++it) write_command(out, **it);
  out << command_function(program.program, program) << " \"$@\"\n";
  return out.str();
}

}  // namespace kbc::cli_docs
