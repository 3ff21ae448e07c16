#pragma once
// SIGINT/SIGTERM during a run. The first one stops the run at once: no table starts, waits
// (backoff, job polls) wake, transfers in flight end and their uploads are aborted, an import
// already sent stays in the journal for the next run to settle; the summary and report are
// still written and the exit code is 130. A second one aborts the uploads in flight and ends
// the process at once (exit 130).
//
// The handler only writes a byte to a pipe (all it may do); a watcher thread does the rest.
namespace kbc::commands {

// Install the handlers and start the watcher (idempotent); the first signal requests
// process_stop().
void install_interrupt_handlers();

}  // namespace kbc::commands
