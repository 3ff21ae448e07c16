// `cmake --install` into a temporary prefix, and the installed tree used as a user would: the
// binaries run, man renders their pages, bash and zsh load their completions from there.
#include <algorithm>
#include <fstream>

#include <catch2/catch.hpp>

#include "install_support.hpp"

using Catch::Matchers::Contains;
using namespace kbc::test::install;

TEST_CASE("cmake --install puts both programs, their man pages, completions and the docs under the prefix, and no tests",
          "[install]") {
  const InstalledTree tree;
  const auto files = tree.files();
  for (const auto& program : kPrograms) {
    CHECK(files.count("bin/" + program));
    CHECK(files.count("share/man/man1/" + program + ".1"));
    CHECK(files.count("share/bash-completion/completions/" + program));
    CHECK(files.count("share/zsh/vendor-completions/_" + program));
    CHECK(files.count("share/doc/" + program + "/copyright"));
    CHECK(files.count("share/doc/" + program + "/LICENSE"));
  }
  for (const char* doc : {"README.md", "docs/cli.md", "docs/configuration.md", "docs/install.md", "examples/config.json",
                          "examples/emulator/demo-seed.json"})
    CHECK(files.count(std::string("share/doc/kbc-storage-extract/") + doc));
  // Only what is listed above: no test executables, fuzz targets, static libraries or build tools.
  for (const auto& file : files) {
    INFO(file);
    const bool documented = file.rfind("share/doc/", 0) == 0;
    const bool program_file = file.rfind("bin/kbc-storage-", 0) == 0 || file.rfind("share/man/man1/kbc-storage-", 0) == 0 ||
                              file.rfind("share/bash-completion/completions/kbc-storage-", 0) == 0 ||
                              file.rfind("share/zsh/vendor-completions/_kbc-storage-", 0) == 0;
    CHECK((documented || program_file));
    CHECK_THAT(file, !Contains("_tests") && !Contains("_replay") && !Contains("kbc-cli-docs") && !Contains(".a"));
  }
  CHECK(std::count_if(files.begin(), files.end(), [](const std::string& f) { return f.rfind("bin/", 0) == 0; }) == 2);
}

TEST_CASE("the installed binaries run and print their version", "[install]") {
  const InstalledTree tree;
  for (const auto& program : kPrograms) {
    const auto result = kbc::test::run_process({(tree.prefix() / "bin" / program).string(), "--version"});
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out == program + " " + KBC_VERSION + "\n");
  }
}

TEST_CASE("man -l renders each installed man page without a warning, naming every command", "[install]") {
  const InstalledTree tree;
  for (const auto& program : kPrograms) {
    const auto page = tree.prefix() / "share" / "man" / "man1" / (program + ".1");
    const auto result = kbc::test::run_process({"/usr/bin/man", "--warnings", "-l", page.string()},
                                               {{"MANWIDTH", "100"}, {"MANPAGER", "cat"}, {"LANG", "C.UTF-8"}});
    INFO(program << ": " << result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.err.empty());  // groff's warnings (bad requests, unknown escapes) come here
    CHECK_THAT(result.out, Contains("NAME") && Contains("SYNOPSIS") && Contains("DESCRIPTION") && Contains("OPTIONS"));
    CHECK_THAT(result.out, Contains(program + " - "));  // the whatis line
    CHECK_THAT(result.out, Contains(std::string(KBC_VERSION)));
    for (const auto& command : all_commands(built_binary(program))) {
      if (!command.empty()) CHECK_THAT(result.out, Contains(command_line(program, command)));
    }
  }
}

namespace {

// The words a completion function offers for `line` (the cursor at its end), one per line,
// sorted (as readline shows them; file names come in directory order).
std::string complete(const std::string& setup, const std::string& line) {
  const auto script = setup + R"(
read -r -a COMP_WORDS <<< ")" + line + R"("
[[ ")" + line + R"(" == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
COMP_LINE=")" + line + R"("; COMP_POINT=${#COMP_LINE}
spec=$(complete -p "${COMP_WORDS[0]}") || exit 3
function=${spec#*-F }; function=${function%% *}
"$function" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
(( ${#COMPREPLY[@]} )) && printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort
exit 0
)";
  const auto result = bash(script);
  INFO(line << ": " << result.err);
  REQUIRE(result.exit_code == 0);
  return result.out;
}

}  // namespace

TEST_CASE("bash-completion loads the installed bash completion and it completes run --ta to --table and the commands",
          "[install]") {
  const InstalledTree tree;
  // bash-completion itself, finding our script where it looks: $XDG_DATA_DIRS/bash-completion/completions.
  const std::string setup = "export XDG_DATA_DIRS='" + (tree.prefix() / "share").string() +
                            "'\nsource /usr/share/bash-completion/bash_completion\n"
                            "__load_completion kbc-storage-extract || exit 4\n__load_completion kbc-storage-emulator || exit 4";
  CHECK(complete(setup, "kbc-storage-extract run --ta") == "--table\n");
  CHECK(complete(setup, "kbc-storage-extract ") == "check\ncomponent\ninit\nrun\ntables\ntoken\nvalidate\n");
  CHECK(complete(setup, "kbc-storage-extract token ") == "create\nrefresh\nverify\n");
  CHECK(complete(setup, "kbc-storage-extract --log-format ") == "json\ntext\n");
  CHECK(complete(setup, "kbc-storage-extract --log-format=j") == "json\n");
  CHECK(complete(setup, "kbc-storage-extract -v run config.json --parallel 4 --dr") == "--dry-run\n");
  CHECK(complete(setup, "kbc-storage-emulator --log-level er") == "error\n");
}

TEST_CASE("the installed bash completion works sourced on its own: flags, commands, file names for FILE arguments",
          "[install]") {
  const InstalledTree tree;
  const auto completions = tree.prefix() / "share" / "bash-completion" / "completions";
  // A directory with known files, for the FILE arguments.
  kbc::test::TempDir files;
  for (const char* name : {"config.json", "config.state.json", "notes.txt"}) std::ofstream(files.path() / name) << "{}";
  const std::string setup = "source '" + (completions / "kbc-storage-extract").string() + "' || exit 4\nsource '" +
                            (completions / "kbc-storage-emulator").string() + "' || exit 4\ncd '" +
                            files.path().string() + "'";
  CHECK(complete(setup, "kbc-storage-extract run --ta") == "--table\n");
  CHECK(complete(setup, "kbc-storage-extract ") == "check\ncomponent\ninit\nrun\ntables\ntoken\nvalidate\n");
  CHECK(complete(setup, "kbc-storage-extract run conf") == "config.json\nconfig.state.json\n");
  CHECK(complete(setup, "kbc-storage-extract run config.json --report no") == "notes.txt\n");
  CHECK(complete(setup, "kbc-storage-extract token verify --config c") == "config.json\nconfig.state.json\n");
  CHECK(complete(setup, "kbc-storage-extract run config.json --table ") == "");  // a table name: nothing to guess
  CHECK(complete(setup, "kbc-storage-extract validate config.json -") == "--help\n-h\n");
  CHECK(complete(setup, "kbc-storage-emulator --seed conf") == "config.json\nconfig.state.json\n");
}

TEST_CASE("zsh parses the installed zsh completions and compinit picks them up from the prefix", "[install]") {
  const InstalledTree tree;
  const auto dir = tree.prefix() / "share" / "zsh" / "vendor-completions";
  for (const auto& program : kPrograms) {
    const auto script = dir / ("_" + program);
    const auto parsed = kbc::test::run_process({"/usr/bin/zsh", "-n", script.string()});
    INFO(program << ": " << parsed.err);
    CHECK(parsed.exit_code == 0);
    CHECK(parsed.err.empty());
  }
  kbc::test::TempDir home;  // compinit's dump file, away from any real home
  const auto registered = kbc::test::run_process(
      {"/usr/bin/zsh", "-f", "-c",
       "fpath=('" + dir.string() + "' $fpath); autoload -U compinit; compinit -u -d '" + (home.path() / "zcompdump").string() +
           "'; print -r -- $_comps[kbc-storage-extract] $_comps[kbc-storage-emulator]"},
      {{"HOME", home.path().string()}});
  INFO(registered.err);
  CHECK(registered.exit_code == 0);
  CHECK(registered.out == "_kbc-storage-extract _kbc-storage-emulator\n");
}
