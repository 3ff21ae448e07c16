// kbc-cli-docs: writes a program's man page and bash and zsh completions from its CLI11
// definition. Run by the build (tools/cli_docs/CMakeLists.txt); not installed.
//   kbc-cli-docs PROGRAM OUTDIR   -> OUTDIR/man1/PROGRAM.1, OUTDIR/bash-completion/PROGRAM,
//                                    OUTDIR/zsh/_PROGRAM
#include <filesystem>
#include <fstream>
#include <iostream>

#include "bash_completion.hpp"
#include "man_page.hpp"
#include "programs.hpp"
#include "zsh_completion.hpp"

namespace {

bool write_file(const std::filesystem::path& path, const std::string& text) {
  std::error_code ignored;
  std::filesystem::create_directories(path.parent_path(), ignored);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) std::cerr << "kbc-cli-docs: cannot write " << path.string() << "\n";
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: kbc-cli-docs PROGRAM OUTDIR\n";
    return 2;
  }
  const std::string program = argv[1];
  const std::filesystem::path out_dir = argv[2];
  const auto doc = kbc::cli_docs::describe_program(program);
  if (!doc) {
    std::cerr << "kbc-cli-docs: unknown program \"" << program << "\" (one of:";
    for (const auto& name : kbc::cli_docs::program_names()) std::cerr << " " << name;
    std::cerr << ")\n";
    return 2;
  }
  std::vector<std::string> see_also;
  for (const auto& name : kbc::cli_docs::program_names())
    if (name != program) see_also.push_back(name);
  const bool written = write_file(out_dir / "man1" / (program + ".1"), kbc::cli_docs::man_page(*doc, KBC_VERSION, see_also)) &&
                       write_file(out_dir / "bash-completion" / program, kbc::cli_docs::bash_completion(*doc)) &&
                       write_file(out_dir / "zsh" / ("_" + program), kbc::cli_docs::zsh_completion(*doc));
  return written ? 0 : 1;
}
