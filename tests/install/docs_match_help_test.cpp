// The generated man pages and completions against --help: for every command of every program
// (found by walking --help), the flags each offers are exactly those --help lists, and the
// subcommands too. A flag added to the CLI definition shows up in all of them by construction;
// this test is what proves it.
#include <algorithm>
#include <map>
#include <regex>
#include <sstream>

#include <catch2/catch.hpp>

#include "install_support.hpp"

using namespace kbc::test::install;
using Flags = std::set<std::string>;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Flags per command in a man page as `man` renders it: a command's subsection heading is its
// command line at indent 3 ("   kbc-storage-extract run"), the program's own flags are under
// OPTIONS; each option's tag is at indent 7 ("       -q, --quiet").
std::map<std::string, Flags> man_flags(const std::string& program) {
  const auto page = kCliDocsDir / "man1" / (program + ".1");
  const auto rendered = kbc::test::run_process({"/usr/bin/man", "-l", page.string()},
                                               {{"MANWIDTH", "200"}, {"MANPAGER", "cat"}, {"LANG", "C.UTF-8"}});
  REQUIRE(rendered.exit_code == 0);
  std::map<std::string, Flags> flags;
  std::string current;  // empty: outside any option list
  static const std::regex heading(R"(^   (\S.*\S)\s*$)");
  static const std::regex tag(R"(^ {7}(-[-A-Za-z0-9]+(, -[-A-Za-z0-9]+)*))");
  for (const auto& line : lines_of(rendered.out)) {
    std::smatch match;
    if (!line.empty() && line.front() != ' ') {  // a section
      current = line == "OPTIONS" ? program : "";
    } else if (std::regex_match(line, match, heading) && match[1].str().rfind(program, 0) == 0) {
      current = match[1];
      flags[current];
    } else if (!current.empty() && std::regex_search(line, match, tag)) {
      std::stringstream names(match[1].str());
      for (std::string name; std::getline(names, name, ',');) flags[current].insert(name.substr(name.find('-')));
    }
  }
  return flags;
}

// Flags per command in the zsh script: each command's function follows a "# <command line>"
// comment; each option spec is one line "    '[*]--name[=+][help]...'".
std::map<std::string, Flags> zsh_flags(const std::string& program) {
  std::map<std::string, Flags> flags;
  std::string current;
  static const std::regex comment(R"(^# (kbc-storage-\S+( \S+)*)$)");
  static const std::regex spec(R"(^    '\*?(-[-A-Za-z0-9]+)[=+\[])");
  for (const auto& line : lines_of(read_text(kCliDocsDir / "zsh" / ("_" + program)))) {
    std::smatch match;
    if (std::regex_match(line, match, comment)) {
      current = match[1];
      flags[current];
    } else if (!current.empty() && std::regex_search(line, match, spec)) {
      flags[current].insert(match[1]);
    }
  }
  return flags;
}

// What the bash completion offers after `words` (a trailing "" completes an empty word).
std::vector<std::string> bash_offers(const std::string& program, std::vector<std::string> words) {
  std::string array;
  for (const auto& word : words) array += " '" + word + "'";
  const auto result = bash("source '" + (kCliDocsDir / "bash-completion" / program).string() +
                           "' || exit 4\nCOMP_WORDS=('" + program + "'" + array +
                           ")\nCOMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
                           "spec=$(complete -p '" + program + "') || exit 3\n"
                           "function=${spec#*-F }; function=${function%% *}; \"$function\"\n"
                           "printf '%s\\n' \"${COMPREPLY[@]}\"");
  REQUIRE(result.exit_code == 0);
  auto offered = lines_of(result.out);
  offered.erase(std::remove(offered.begin(), offered.end(), ""), offered.end());
  return offered;
}

}  // namespace

TEST_CASE("the man pages and both completions offer exactly the flags and commands of --help, for every command",
          "[install]") {
  for (const auto& program : kPrograms) {
    const auto binary = built_binary(program);
    const auto man = man_flags(program);
    const auto zsh = zsh_flags(program);
    const auto commands = all_commands(binary);
    std::set<std::string> documented_commands;
    for (const auto& command : commands) {
      const auto name = command_line(program, command);
      const auto help = read_help(binary, command);
      INFO(name);
      REQUIRE_FALSE(help.flags.empty());  // at least --help: the parse itself works
      CHECK(man.count(name));
      CHECK(zsh.count(name));
      if (man.count(name)) CHECK(man.at(name) == help.flags);
      if (zsh.count(name)) CHECK(zsh.at(name) == help.flags);
      auto words = command;
      words.push_back("-");
      const auto bash = bash_offers(program, words);
      CHECK(Flags(bash.begin(), bash.end()) == help.flags);
      CHECK(bash.size() == help.flags.size());  // each once
      if (!help.subcommands.empty()) {
        words.back() = "";
        CHECK(bash_offers(program, words) == help.subcommands);
      }
      documented_commands.insert(name);
    }
    // Nothing extra: no command documented that --help does not have.
    for (const auto& [name, flags] : man) CHECK(documented_commands.count(name));
    for (const auto& [name, flags] : zsh) CHECK(documented_commands.count(name));
  }
}
