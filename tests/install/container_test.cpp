// The Dockerfile cannot be built here (no image can be pulled: README.md, "Install"), so what
// can drift is checked without Docker: its runtime stage installs exactly the packages of the
// libraries kbc-storage-extract links, its build stage the -dev packages the build uses.
#include <regex>
#include <sstream>

#include <catch2/catch.hpp>

#include "install_support.hpp"

using Catch::Matchers::Contains;
using namespace kbc::test::install;

namespace {

struct Stage {
  std::string from;                  // "debian:12-slim AS runtime"
  std::vector<std::string> commands;  // each instruction, continuation lines joined
};

std::vector<Stage> read_stages(const std::filesystem::path& dockerfile) {
  std::vector<Stage> stages;
  std::istringstream in(read_text(dockerfile));
  std::string instruction;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line.front() == '#') continue;
    const bool continued = !line.empty() && line.back() == '\\';
    instruction += continued ? line.substr(0, line.size() - 1) + " " : line;
    if (continued) continue;
    if (instruction.rfind("FROM ", 0) == 0) stages.push_back({instruction.substr(5), {}});
    else if (!stages.empty()) stages.back().commands.push_back(instruction);
    instruction.clear();
  }
  return stages;
}

// The packages of every `apt-get install` in a stage's RUN instructions.
std::set<std::string> apt_installs(const Stage& stage) {
  std::set<std::string> packages;
  for (const auto& command : stage.commands) {
    std::istringstream words(command);
    bool in_install = false;
    std::string previous;
    for (std::string word; words >> word; previous = word) {
      if (word == "&&" || word == ";") in_install = false;
      else if (previous == "apt-get" && word == "install") in_install = true;
      else if (in_install && word.front() != '-') packages.insert(word);
    }
  }
  return packages;
}

// The library -dev packages scripts/install-deps.sh installs for the build (its APT_PACKAGES
// list; dpkg-dev there is the install tests' packaging tool, not a library).
std::set<std::string> build_dev_packages() {
  const auto script = read_text(kSourceDir / "scripts" / "install-deps.sh");
  const auto start = script.find("APT_PACKAGES=(");
  const auto end = script.find(')', start);
  std::istringstream words(script.substr(start, end - start));
  std::set<std::string> packages;
  for (std::string word; words >> word;)
    if (word.size() > 4 && word.compare(word.size() - 4, 4, "-dev") == 0 && word != "dpkg-dev") packages.insert(word);
  return packages;
}

}  // namespace

TEST_CASE("the Dockerfile's runtime stage installs exactly the packages of the libraries kbc-storage-extract links",
          "[install]") {
  const auto stages = read_stages(kSourceDir / "Dockerfile");
  REQUIRE(stages.size() == 2);
  CHECK(stages[0].from == "debian:12 AS build");
  CHECK(stages[1].from == "debian:12-slim AS runtime");

  const auto binary = built_binary("kbc-storage-extract");
  auto runtime = apt_installs(stages[1]);
  // Not a library but needed at run time: the CA roots HTTPS requests are verified against.
  CHECK(runtime.erase("ca-certificates") == 1);
  const auto direct = without_sanitizer_runtimes(linked_packages(binary, true));
  CHECK(runtime == direct);
  // And every library ldd loads (curl's own, OpenSSL's...) comes with them through apt.
  const auto closure = dependency_closure(runtime);
  for (const auto& package : without_sanitizer_runtimes(linked_packages(binary, false))) {
    INFO(package);
    CHECK(closure.count(package));
  }
}

TEST_CASE("the Dockerfile builds with the -dev packages the build uses and runs the tool as a non-root user",
          "[install]") {
  const auto stages = read_stages(kSourceDir / "Dockerfile");
  REQUIRE(stages.size() == 2);
  const auto build = apt_installs(stages[0]);
  for (const auto& package : build_dev_packages()) {
    INFO(package);
    CHECK(build.count(package));
  }
  std::string runtime;
  for (const auto& command : stages[1].commands) runtime += command + "\n";
  CHECK_THAT(runtime, Contains("USER kbc\n") && Contains("useradd --system"));
  CHECK_THAT(runtime, Contains("ENTRYPOINT [\"kbc-storage-extract\"]\n"));
  CHECK_THAT(runtime, Contains("COPY --from=build /opt/kbc/bin/kbc-storage-extract "));
  // The build context leaves out build trees and node modules.
  const auto ignored = read_text(kSourceDir / ".dockerignore");
  CHECK_THAT(ignored, Contains("build*/\n") && Contains("tests/peers/node_modules/\n") && Contains(".git\n"));
}
