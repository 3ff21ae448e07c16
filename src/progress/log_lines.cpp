// The 5-second log line, per table in flight: also during the jobs, so a long export is not
// silence.
#include <spdlog/spdlog.h>

#include "kbc_storage_extract/progress/board.hpp"
#include "kbc_storage_extract/progress/consumers.hpp"
#include "progress/ticker.hpp"

namespace kbc::progress {

namespace {

class LogLines final : public Sink {
 public:
  explicit LogLines(std::chrono::milliseconds every) : ticker_(every, [this] { tick(); }) {}
  void on(const Event& event) override { board_.on(event); }

 private:
  void tick() {
    const auto snapshot = board_.snapshot();
    for (const auto& line : snapshot.in_flight)
      if (line.phase) spdlog::info("table {}: {}", line.table, describe(line, snapshot.now));
  }
  Board board_;
  Ticker ticker_;  // last: stopped (joined) before the board goes
};

}  // namespace

std::unique_ptr<Sink> make_log_lines(std::chrono::milliseconds every) { return std::make_unique<LogLines>(every); }

bool view_wanted(ViewMode mode, bool json_logs, bool quiet, bool stderr_terminal) {
  switch (mode) {
    case ViewMode::always: return true;
    case ViewMode::never: return false;
    case ViewMode::automatic: return !json_logs && !quiet && stderr_terminal;
  }
  return false;
}

}  // namespace kbc::progress
