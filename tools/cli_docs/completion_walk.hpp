#pragma once
// What both completion scripts need from the model: every command with the commands above it.
#include <functional>
#include <string>
#include <vector>

#include "command_doc.hpp"

namespace kbc::cli_docs {

// Calls `visit` for `root` and each command below it, depth first, with its lineage (root first).
void for_each_command(const CommandDoc& root,
                      const std::function<void(const std::vector<const CommandDoc*>& lineage)>& visit);

// "token verify" for {"token", "verify"}; "" for the program itself.
std::string path_words(const CommandDoc& command);

// A shell function name for the program: "kbc-storage-extract" -> "_kbc_storage_extract".
std::string function_name(const std::string& program);

}  // namespace kbc::cli_docs
