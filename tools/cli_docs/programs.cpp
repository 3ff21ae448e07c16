#include "programs.hpp"

#include "cli/invocation.hpp"
#include "command_line.hpp"

namespace kbc::cli_docs {

std::vector<std::string> program_names() { return {"kbc-storage-extract", "kbc-storage-emulator"}; }

std::optional<CommandDoc> describe_program(const std::string& program) {
  CLI::App app{"", program};
  if (program == "kbc-storage-extract") {
    kbc::cli::Invocation invocation;  // the definition binds flags to it; only read here
    kbc::cli::define_cli(app, invocation);
    return describe(app, program);
  }
  if (program == "kbc-storage-emulator") {
    kbc::emulator::EmulatorOptions options;
    kbc::emulator::define_command_line(app, options);
    return describe(app, program);
  }
  return std::nullopt;
}

}  // namespace kbc::cli_docs
