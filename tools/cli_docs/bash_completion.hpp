#pragma once
// A bash completion script (bash-completion's completions/<program>) from the model.
#include <string>

#include "command_doc.hpp"

namespace kbc::cli_docs {

std::string bash_completion(const CommandDoc& program);

}  // namespace kbc::cli_docs
