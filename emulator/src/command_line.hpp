#pragma once
// The emulator's command line, declared once: main() parses with it, and tools/cli_docs
// generates the man page and shell completions from it (so they cannot drift).
#include <CLI/CLI.hpp>

#include "options.hpp"

namespace kbc::emulator {

// Declare every flag of kbc-storage-emulator on `app`, bound to `options`.
void define_command_line(CLI::App& app, EmulatorOptions& options);

}  // namespace kbc::emulator
