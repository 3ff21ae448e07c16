#pragma once
// The project's programs, each described from the very definition its main() parses with.
#include <optional>
#include <string>
#include <vector>

#include "command_doc.hpp"

namespace kbc::cli_docs {

// "kbc-storage-extract", "kbc-storage-emulator".
std::vector<std::string> program_names();

// The model of `program`'s command line; nullopt for a name that is not one of ours.
std::optional<CommandDoc> describe_program(const std::string& program);

}  // namespace kbc::cli_docs
