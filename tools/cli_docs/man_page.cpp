#include "man_page.hpp"

#include "completion_walk.hpp"

#include <cctype>
#include <sstream>

namespace kbc::cli_docs {

namespace {

// Text for roff: backslashes written as \e, every '-' as \- (an ASCII minus, so that a flag
// copied from the rendered page still works), and a line never starts with a control character.
std::string roff(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') out += "\\e";
    else if (c == '-') out += "\\-";
    else out += c;
  }
  return out;
}

std::string roff_line(const std::string& text) {
  auto line = roff(text);
  if (!line.empty() && (line.front() == '.' || line.front() == '\'')) line = "\\&" + line;
  return line;
}

std::string upper(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// "-q, --quiet" or "--table NAME ..." in bold and italics.
std::string option_tag(const OptionDoc& option) {
  if (option.positional) return "\\fI" + roff(option.names.front()) + "\\fR";
  std::string tag;
  for (const auto& name : option.names) tag += (tag.empty() ? "" : ", ") + ("\\fB" + roff(name) + "\\fR");
  if (option.takes_value) tag += " \\fI" + roff(option.value_name) + "\\fR";
  if (option.repeatable) tag += " ...";
  return tag;
}

std::string option_text(const OptionDoc& option) {
  std::string text = option.description;
  auto add = [&text](const std::string& sentence) {
    if (!text.empty() && text.back() != '.') text += ".";
    text += (text.empty() ? "" : " ") + sentence;
  };
  if (!option.choices.empty()) {
    std::string values;
    for (const auto& choice : option.choices) values += (values.empty() ? "" : ", ") + choice;
    add("One of: " + values + ".");
  }
  if (!option.constraint.empty()) add("Accepts: " + option.constraint + ".");
  if (!option.default_value.empty()) add("Default: " + option.default_value + ".");
  if (option.required) add("Required.");
  return text;
}

void write_options(std::ostream& out, const std::vector<OptionDoc>& options) {
  std::string group = "Options";
  for (const auto& option : options) {
    if (option.group != group) {  // a group of its own, as --help shows it
      group = option.group;
      out << ".PP\n\\fI" << roff(group) << "\\fR:\n";
    }
    out << ".TP\n" << option_tag(option) << "\n" << roff_line(option_text(option)) << "\n";
  }
}

std::string synopsis(const CommandDoc& command) {
  std::string line = "\\fB" + roff(command.full_name()) + "\\fR";
  if (!command.options.empty()) line += " [\\fIOPTIONS\\fR]";
  for (const auto& positional : command.positionals)
    line += positional.required ? " \\fI" + roff(positional.names.front()) + "\\fR"
                                : " [\\fI" + roff(positional.names.front()) + "\\fR]";
  if (!command.subcommands.empty()) line += " \\fICOMMAND\\fR [\\fIARGS\\fR]";
  return line;
}

// Each command below the program: a subsection named by its whole command line, its synopsis,
// what it does, its arguments and options; then its own commands.
void write_command(std::ostream& out, const CommandDoc& command) {
  out << ".SS \"" << roff(command.full_name()) << "\"\n" << synopsis(command) << "\n.br\n"
      << roff_line(command.description) << "\n";
  write_options(out, command.positionals);
  write_options(out, command.options);
  if (!command.subcommands.empty()) {
    out << ".PP\nCommands:";
    for (const auto& sub : command.subcommands) out << " \\fB" << roff(sub.path.back()) << "\\fR";
    out << "\n";
  }
  for (const auto& sub : command.subcommands) write_command(out, sub);
}

// The help footer: "Label:" alone or at a line's start opens a section (Examples, Exit codes);
// indented lines are kept as they are (command examples), the rest is filled text.
void write_footer(std::ostream& out, const std::string& footer) {
  std::istringstream in(footer);
  bool verbatim = false;
  for (std::string line; std::getline(in, line);) {
    const bool indented = !line.empty() && line.front() == ' ';
    if (verbatim && !indented) {
      out << ".fi\n";
      verbatim = false;
    }
    if (line.empty()) continue;
    if (indented) {
      if (!verbatim) out << ".PP\n.nf\n";
      verbatim = true;
      out << roff_line(line.substr(line.find_first_not_of(' '))) << "\n";
      continue;
    }
    const auto colon = line.find(':');
    const bool labelled = colon != std::string::npos && std::isupper(static_cast<unsigned char>(line.front())) &&
                          line.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ ") == colon &&
                          (colon + 1 == line.size() || line[colon + 1] == ' ');
    if (labelled) {
      out << ".SH " << roff(upper(line.substr(0, colon))) << "\n";
      const auto rest = line.find_first_not_of(' ', colon + 1);
      if (rest != std::string::npos) out << roff_line(line.substr(rest)) << "\n";
    } else {
      out << roff_line(line) << "\n";
    }
  }
  if (verbatim) out << ".fi\n";
}

}  // namespace

std::string man_page(const CommandDoc& program, const std::string& version, const std::vector<std::string>& see_also) {
  std::ostringstream out;
  // The summary for whatis/apropos: the description without a leading "program: ".
  auto summary = program.description;
  if (summary.rfind(program.program + ": ", 0) == 0) summary = summary.substr(program.program.size() + 2);
  out << ".\\\" Generated from the CLI definition of " << program.program
      << " by kbc-cli-docs (tools/cli_docs): do not edit.\n"
      << ".TH \"" << roff(upper(program.program)) << "\" 1 \"\" \"" << roff(program.program + " " + version)
      << "\" \"User Commands\"\n"
      << ".nh\n.ad l\n"  // no hyphenation (flags stay whole, searchable), ragged right
      << ".SH NAME\n" << roff(program.program) << " \\- " << roff_line(summary) << "\n"
      << ".SH SYNOPSIS\n" << synopsis(program) << "\n";
  for_each_command(program, [&out](const std::vector<const CommandDoc*>& lineage) {
    if (lineage.size() > 1) out << ".br\n" << synopsis(*lineage.back()) << "\n";
  });
  out << ".SH DESCRIPTION\n" << roff_line(program.description) << "\n";
  if (!program.options.empty() || !program.positionals.empty()) {
    out << ".SH OPTIONS\n";
    write_options(out, program.positionals);
    write_options(out, program.options);
  }
  if (!program.subcommands.empty()) {
    out << ".SH COMMANDS\n";
    for (const auto& sub : program.subcommands) write_command(out, sub);
  }
  write_footer(out, program.footer);
  if (!see_also.empty()) {
    out << ".SH SEE ALSO\n";
    for (std::size_t i = 0; i < see_also.size(); ++i)
      out << ".BR " << roff(see_also[i]) << " (1)" << (i + 1 < see_also.size() ? "," : "") << "\n";
    out << ".PP\nThe documentation installed in \\fIshare/doc/kbc\\-storage\\-extract/\\fR under the installation "
           "prefix (\\fI/usr/share/doc/kbc\\-storage\\-extract/\\fR from the Debian package).\n";
  }
  return out.str();
}

}  // namespace kbc::cli_docs
