#include "install_support.hpp"

#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace kbc::test::install {

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// "libc6:amd64, libssl3:amd64: /usr/lib/..." -> "libc6"
std::string first_package(const std::string& dpkg_s_line) {
  const auto end = dpkg_s_line.find_first_of(":,");
  return dpkg_s_line.substr(0, end);
}

}  // namespace

std::filesystem::path built_binary(const std::string& program) {
  if (program == "kbc-storage-extract") return KBC_EXTRACT_BIN;
  if (program == "kbc-storage-emulator") return KBC_EMULATOR_BIN;
  throw std::invalid_argument("not one of our programs: " + program);
}

InstalledTree::InstalledTree() {
  const auto result = run_process({KBC_CMAKE_COMMAND, "--install", kBuildDir.string(), "--prefix", prefix().string()},
                                  {}, std::chrono::seconds(60));
  if (result.exit_code != 0) throw std::runtime_error("cmake --install failed: " + result.out + result.err);
}

std::set<std::string> InstalledTree::files() const {
  std::set<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(prefix()))
    if (entry.is_regular_file()) files.insert(std::filesystem::relative(entry.path(), prefix()).string());
  return files;
}

ProcessResult bash(const std::string& script, const std::map<std::string, std::string>& env) {
  return run_process({"/bin/bash", "--norc", "--noprofile", "-c", script}, env, std::chrono::seconds(30));
}

HelpListing read_help(const std::filesystem::path& binary, const std::vector<std::string>& command) {
  std::vector<std::string> argv{binary.string()};
  argv.insert(argv.end(), command.begin(), command.end());
  argv.push_back("--help");
  const auto result = run_process(argv, {}, std::chrono::seconds(20));
  if (result.exit_code != 0) throw std::runtime_error(command_line(binary.filename(), command) + " --help failed");
  // CLI11: sections are "Name:" lines at the left margin; an option line is "  -q,--quiet ...",
  // a subcommand line "  run   description" in "Subcommands:". The footer's lines start
  // with the program name, never with '-'.
  HelpListing listing;
  std::string section;
  static const std::regex option_line(R"(^  (-[^ ]+))");
  static const std::regex subcommand_line(R"(^  ([a-z][a-z0-9-]*)( |$))");
  for (const auto& line : lines_of(result.out)) {
    if (!line.empty() && line.front() != ' ' && line.back() == ':') {
      section = line;
      continue;
    }
    std::smatch match;
    if (section == "Subcommands:" && std::regex_search(line, match, subcommand_line)) {
      listing.subcommands.push_back(match[1]);
    } else if (std::regex_search(line, match, option_line)) {
      std::stringstream names(match[1].str());
      for (std::string name; std::getline(names, name, ',');) listing.flags.insert(name);
    }
  }
  return listing;
}

std::vector<std::vector<std::string>> all_commands(const std::filesystem::path& binary) {
  std::vector<std::vector<std::string>> commands{{}};
  for (std::size_t i = 0; i < commands.size(); ++i) {
    const auto command = commands[i];  // copy: push_back below may reallocate
    for (const auto& sub : read_help(binary, command).subcommands) {
      auto deeper = command;
      deeper.push_back(sub);
      commands.push_back(deeper);
    }
  }
  return commands;
}

std::string command_line(const std::string& program, const std::vector<std::string>& command) {
  std::string line = program;
  for (const auto& word : command) line += " " + word;
  return line;
}

std::string package_owning(const std::filesystem::path& file) {
  std::vector<std::filesystem::path> candidates{file};
  std::error_code ignored;
  const auto canonical = std::filesystem::canonical(file, ignored);
  if (!canonical.empty()) candidates.push_back(canonical);
  for (const auto& path : std::vector<std::filesystem::path>(candidates)) {
    const auto text = path.string();
    if (text.rfind("/usr/", 0) == 0) candidates.push_back(text.substr(4));
    else candidates.push_back("/usr" + text);
  }
  for (const auto& candidate : candidates) {
    const auto result = run_process({"/usr/bin/dpkg", "-S", candidate.string()}, {}, std::chrono::seconds(20));
    if (result.exit_code == 0 && !result.out.empty()) return first_package(result.out);
  }
  return "";
}

std::set<std::string> linked_packages(const std::filesystem::path& binary, bool direct_only) {
  std::set<std::string> needed;
  if (direct_only) {
    const auto elf = run_process({"/usr/bin/readelf", "-d", binary.string()}, {}, std::chrono::seconds(20));
    static const std::regex needed_line(R"(\(NEEDED\)\s+Shared library: \[([^\]]+)\])");
    for (const auto& line : lines_of(elf.out)) {
      std::smatch match;
      if (std::regex_search(line, match, needed_line)) needed.insert(match[1]);
    }
  }
  const auto ldd = run_process({"/usr/bin/ldd", binary.string()}, {}, std::chrono::seconds(20));
  if (ldd.exit_code != 0) throw std::runtime_error("ldd " + binary.string() + " failed: " + ldd.err);
  // "\tlibz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x...)" or "\t/lib64/ld-linux-x86-64.so.2 (0x...)"
  static const std::regex library_line(R"(^\s*(\S+)\s+=>\s+(/\S+)|^\s*(/\S+)\s+\()");
  std::set<std::string> packages;
  for (const auto& line : lines_of(ldd.out)) {
    std::smatch match;
    if (!std::regex_search(line, match, library_line)) continue;  // linux-vdso: no file
    const std::string soname = match[1].matched ? match[1].str() : std::filesystem::path(match[3].str()).filename().string();
    const std::string path = match[2].matched ? match[2].str() : match[3].str();
    if (direct_only && !needed.count(soname)) continue;
    const auto package = package_owning(path);
    if (package.empty()) throw std::runtime_error("no Debian package owns " + path + " (linked by " + binary.string() + ")");
    packages.insert(package);
  }
  return packages;
}

std::set<std::string> dependency_closure(const std::set<std::string>& packages) {
  std::set<std::string> closure;
  std::vector<std::string> todo(packages.begin(), packages.end());
  static const std::regex first_name(R"(^\s*([a-z0-9][a-z0-9+.-]+))");
  while (!todo.empty()) {
    const auto package = todo.back();
    todo.pop_back();
    if (!closure.insert(package).second) continue;
    const auto fields = run_process({"/usr/bin/dpkg-query", "-W", "-f=${Pre-Depends}, ${Depends}", package}, {},
                                    std::chrono::seconds(20));
    std::stringstream items(fields.out);
    for (std::string item; std::getline(items, item, ',');) {
      std::smatch match;
      if (std::regex_search(item, match, first_name)) todo.push_back(match[1]);
    }
  }
  return closure;
}

std::set<std::string> without_sanitizer_runtimes(std::set<std::string> packages) {
#if defined(__SANITIZE_ADDRESS__)
  for (auto it = packages.begin(); it != packages.end();)
    it = (it->rfind("libasan", 0) == 0 || it->rfind("libubsan", 0) == 0) ? packages.erase(it) : std::next(it);
#endif
  return packages;
}

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace kbc::test::install
