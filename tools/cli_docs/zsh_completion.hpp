#pragma once
// A zsh completion function (#compdef, for vendor-completions/_<program>) from the model.
#include <string>

#include "command_doc.hpp"

namespace kbc::cli_docs {

std::string zsh_completion(const CommandDoc& program);

}  // namespace kbc::cli_docs
