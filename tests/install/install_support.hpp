#pragma once
// What the install tests share: the build tree they install from, a prefix installed into a
// temp dir, --help read back into flags and subcommands, and binaries mapped to the Debian
// packages of the libraries they link.
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "emulator_process.hpp"
#include "process.hpp"

namespace kbc::test::install {

inline const std::filesystem::path kBuildDir = KBC_BUILD_DIR;
inline const std::filesystem::path kSourceDir = KBC_SOURCE_DIR;
inline const std::filesystem::path kCliDocsDir = KBC_CLI_DOCS_DIR;  // generated man pages, completions
inline const std::vector<std::string> kPrograms{"kbc-storage-extract", "kbc-storage-emulator"};

// The build-tree binary of one of kPrograms.
std::filesystem::path built_binary(const std::string& program);

// `cmake --install` of the build tree into a fresh temp dir (removed with it).
class InstalledTree {
 public:
  InstalledTree();
  const std::filesystem::path& prefix() const { return dir_.path(); }
  // Every regular file under the prefix, relative to it ("bin/kbc-storage-extract").
  std::set<std::string> files() const;

 private:
  TempDir dir_;
};

// `bash -c script` (a bash of its own: no rc files), bounded in time.
ProcessResult bash(const std::string& script, const std::map<std::string, std::string>& env = {});

// What `program [command...] --help` lists: its flags (every name of each, "-q", "--quiet")
// and its subcommands.
struct HelpListing {
  std::set<std::string> flags;
  std::vector<std::string> subcommands;
};
HelpListing read_help(const std::filesystem::path& binary, const std::vector<std::string>& command);

// Every command of `binary` found by walking --help from the top: {}, {"run"}, {"token", "verify"}.
std::vector<std::vector<std::string>> all_commands(const std::filesystem::path& binary);

// "kbc-storage-extract token verify".
std::string command_line(const std::string& program, const std::vector<std::string>& command);

// The Debian package that owns a file (dpkg -S), looked up under both names of a merged /usr
// (/lib/x/libz.so.1 and /usr/lib/x/libz.so.1); empty when no package owns it.
std::string package_owning(const std::filesystem::path& file);

// The packages of the shared libraries `binary` loads: all of them (ldd), or only those it
// names itself (its ELF NEEDED entries, resolved by ldd).
std::set<std::string> linked_packages(const std::filesystem::path& binary, bool direct_only);

// `packages` and everything they depend on, by this machine's dpkg database (first alternative
// of each Depends / Pre-Depends).
std::set<std::string> dependency_closure(const std::set<std::string>& packages);

// The sanitizer runtimes (libasan8, libubsan1) a -DCMAKE_BUILD_TYPE=Sanitize build also links:
// not part of any package or image, so left out of comparisons in that build.
std::set<std::string> without_sanitizer_runtimes(std::set<std::string> packages);

std::string read_text(const std::filesystem::path& file);

}  // namespace kbc::test::install
