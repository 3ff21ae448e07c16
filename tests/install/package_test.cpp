// `cpack -G DEB` in the build tree: one package per program, with the fields a Debian package
// needs, the files of its install component, Depends that are the packages of the libraries
// its binary links, and a binary that runs once unpacked.
#include <regex>
#include <sstream>

#include <catch2/catch.hpp>

#include "install_support.hpp"

using Catch::Matchers::Contains;
using namespace kbc::test::install;

namespace {

std::string control_field(const std::string& info, const std::string& field) {
  const std::regex line("(^|\\n) " + field + ": ([^\\n]*)");
  std::smatch match;
  return std::regex_search(info, match, line) ? match[2].str() : "";
}

// "libc6 (>= 2.34), libcurl4 (>= 7.16.2)" -> {"libc6", "libcurl4"}
std::set<std::string> package_names(const std::string& depends) {
  std::set<std::string> names;
  static const std::regex name(R"((^|,)\s*([a-z0-9][a-z0-9+.-]+))");
  for (std::sregex_iterator it(depends.begin(), depends.end(), name), end; it != end; ++it) names.insert((*it)[2]);
  return names;
}

// The installed package called `name`, or else the installed one that Provides it.
std::string installed_provider(const std::string& name) {
  const auto all = kbc::test::run_process({"/usr/bin/dpkg-query", "-W", "-f=${db:Status-Abbrev}|${Package}|${Provides}\\n"});
  std::istringstream lines(all.out);
  std::string provider;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("ii ", 0) != 0) continue;
    const auto first = line.find('|'), second = line.find('|', first + 1);
    const auto package = line.substr(first + 1, second - first - 1);
    if (package == name) return name;
    for (const auto& provided : package_names(line.substr(second + 1)))
      if (provided == name) provider = package;
  }
  return provider.empty() ? name : provider;
}

kbc::test::ProcessResult dpkg_deb(const std::string& option, const std::filesystem::path& package) {
  return kbc::test::run_process({"/usr/bin/dpkg-deb", option, package.string()});
}

}  // namespace

TEST_CASE("cpack -G DEB builds one package per program: fields, files, Depends from what it links, a binary that runs",
          "[install]") {
  kbc::test::TempDir out;
  const auto cpack = kbc::test::run_process({KBC_CPACK_COMMAND, "-G", "DEB", "--config",
                                             (kBuildDir / "CPackConfig.cmake").string(), "-B", out.path().string()},
                                            {}, std::chrono::seconds(100));
  INFO(cpack.out << cpack.err);
  REQUIRE(cpack.exit_code == 0);

  for (const auto& program : kPrograms) {
    const auto package = out.path() / (program + "_" + KBC_VERSION + "_amd64.deb");
    INFO(package.string());
    REQUIRE(std::filesystem::exists(package));

    const auto info = dpkg_deb("--info", package);
    REQUIRE(info.exit_code == 0);
    CHECK(control_field(info.out, "Package") == program);
    CHECK(control_field(info.out, "Version") == KBC_VERSION);
    CHECK(control_field(info.out, "Architecture") == "amd64");
    CHECK_THAT(control_field(info.out, "Maintainer"), Contains("kbc-storage-extract maintainers <"));
    CHECK(control_field(info.out, "Section") == (program == "kbc-storage-extract" ? "utils" : "devel"));
    CHECK_THAT(control_field(info.out, "Description"), Contains("Keboola"));
    CHECK_THAT(info.out, Contains("License: MIT"));

    // Depends: dpkg-shlibdeps' list, which must name exactly the packages of the libraries the
    // binary links itself (readelf NEEDED -> ldd -> dpkg -S).
    // A shlibs file may name a virtual package (libspdlog1.10-fmt9): the one installed here that
    // provides it is the package meant.
    std::set<std::string> depends;
    for (const auto& name : package_names(control_field(info.out, "Depends"))) depends.insert(installed_provider(name));
    CHECK(without_sanitizer_runtimes(depends) == without_sanitizer_runtimes(linked_packages(built_binary(program), true)));

    const auto contents = dpkg_deb("--contents", package);
    REQUIRE(contents.exit_code == 0);
    for (const auto& file : {"./usr/bin/" + program, "./usr/share/man/man1/" + program + ".1",
                             "./usr/share/bash-completion/completions/" + program,
                             "./usr/share/zsh/vendor-completions/_" + program, "./usr/share/doc/" + program + "/copyright"})
      CHECK_THAT(contents.out, Contains(file + "\n"));
    for (const auto& other : kPrograms)
      if (other != program) CHECK_THAT(contents.out, !Contains("/usr/bin/" + other));
    CHECK_THAT(contents.out, !Contains("_tests") && !Contains("kbc-cli-docs") && !Contains(".a\n"));
    if (program == "kbc-storage-extract") {
      CHECK_THAT(contents.out, Contains("./usr/share/doc/kbc-storage-extract/README.md\n") &&
                                   Contains("./usr/share/doc/kbc-storage-extract/docs/cli.md\n") &&
                                   Contains("./usr/share/doc/kbc-storage-extract/examples/config.json\n"));
    }

    // Unpacked (not installed: the machine is shared), the stripped binary runs.
    kbc::test::TempDir root;
    REQUIRE(kbc::test::run_process({"/usr/bin/dpkg-deb", "-x", package.string(), root.path().string()}).exit_code == 0);
    const auto version = kbc::test::run_process({(root.path() / "usr" / "bin" / program).string(), "--version"});
    CHECK(version.out == program + " " + KBC_VERSION + "\n");
    const auto file_type = kbc::test::run_process({"/usr/bin/file", (root.path() / "usr" / "bin" / program).string()});
    CHECK_THAT(file_type.out, Contains(", stripped"));
    CHECK_THAT(read_text(root.path() / "usr" / "share" / "doc" / program / "copyright"),
               Contains("License: MIT") && Contains("Permission is hereby granted"));
  }
}
