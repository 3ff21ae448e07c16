#pragma once
// The three consumers of a run's progress events (docs/progress.md):
//  - log lines: every `every` (5 s), one info line per table in flight (phase, its time, bytes
//    of total, rate, ETA): for logs that are files or CI output;
//  - the terminal view: one line per table in flight and a total line, redrawn in place on
//    stderr every `every` (200 ms) below the log lines; erased when the run ends;
//  - JSON events: each event one JSON log line with its fields (bytes events at most one a
//    second per table, their deltas summed), for log pipelines (--log-format json).
#include <chrono>
#include <memory>

#include "kbc_storage_extract/progress/events.hpp"

namespace kbc::progress {

std::unique_ptr<Sink> make_log_lines(std::chrono::milliseconds every = std::chrono::seconds(5));
std::unique_ptr<Sink> make_terminal_view(std::chrono::milliseconds every = std::chrono::milliseconds(200));
std::unique_ptr<Sink> make_json_events(std::chrono::milliseconds bytes_every = std::chrono::seconds(1));

// --progress auto|always|never: whether `run` shows the terminal view.
enum class ViewMode { automatic, always, never };
// auto: text logs, stderr a terminal, not --quiet.
bool view_wanted(ViewMode mode, bool json_logs, bool quiet, bool stderr_terminal);

}  // namespace kbc::progress
