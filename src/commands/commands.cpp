// Placeholder until the `run` issue lands: each command says it is not available yet.
#include "kbc_storage_extract/commands.hpp"

#include <iostream>

namespace kbc::commands {

namespace {
ExitCode not_yet(const char* name) {
  std::cerr << "kbc-storage-extract " << name << ": this command is not implemented yet\n";
  return ExitCode::runtime_failure;
}
}  // namespace

ExitCode run(const Config&, const RunOptions&) { return not_yet("run"); }
ExitCode tables(const Config&, const TablesOptions&) { return not_yet("tables"); }
ExitCode token_verify(const TokenVerifyOptions&) { return not_yet("token verify"); }

}  // namespace kbc::commands
