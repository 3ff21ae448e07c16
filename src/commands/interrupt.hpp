#pragma once
// Ctrl-C during a run: the first SIGINT/SIGTERM lets the table in progress finish (its import
// is atomic either way) and skips the rest; a second one ends the process at once (exit 130).
#include <atomic>

namespace kbc::commands {

// Install the handlers (idempotent) and return the flag the first signal sets.
const std::atomic<bool>& install_interrupt_handlers();

}  // namespace kbc::commands
