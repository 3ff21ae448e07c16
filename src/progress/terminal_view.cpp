// The in-place view: a line per table in flight and a total line, kept below the log lines
// (logging::show_status), cut to the terminal's width so that no line wraps (a wrapped line
// would break erasing it).
#include <sys/ioctl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <optional>

#include "kbc_storage_extract/logging.hpp"
#include "kbc_storage_extract/progress/board.hpp"
#include "kbc_storage_extract/progress/consumers.hpp"
#include "kbc_storage_extract/report/report.hpp"
#include "progress/ticker.hpp"

namespace kbc::progress {

namespace {

std::size_t terminal_width() {
  winsize size{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  if (const char* columns = std::getenv("COLUMNS")) {
    const long value = std::strtol(columns, nullptr, 10);
    if (value > 0) return static_cast<std::size_t>(value);
  }
  return 80;
}

std::string cut(std::string text, std::size_t width) {
  // The last column stays empty: a full line moves some terminals' cursor to the next one.
  if (width > 1 && text.size() >= width) text.resize(width - 1);
  return text;
}

class TerminalView final : public Sink {
 public:
  explicit TerminalView(std::chrono::milliseconds every) : ticker_(std::in_place, every, [this] { draw(); }) {}
  ~TerminalView() override {
    ticker_.reset();
    logging::clear_status();
  }
  void on(const Event& event) override { board_.on(event); }

 private:
  void draw() {
    const auto snapshot = board_.snapshot();
    const auto width = terminal_width();
    std::size_t name_width = 0;
    for (const auto& line : snapshot.in_flight) name_width = std::max(name_width, line.table.size());
    std::vector<std::string> lines;
    for (const auto& line : snapshot.in_flight)
      lines.push_back(cut(fmt::format("  {:<{}}  {}", line.table, name_width, describe(line, snapshot.now)), width));
    const double elapsed = std::chrono::duration<double>(snapshot.now - snapshot.started).count();
    std::string total = fmt::format("tables: {} done", snapshot.finished);
    if (snapshot.failed) total += fmt::format(", {} failed", snapshot.failed);
    total += fmt::format(", {} in flight; {} gzip moved; {}", snapshot.in_flight.size(), report::human_bytes(snapshot.bytes),
                         human_duration(elapsed));
    lines.push_back(cut(total, width));
    logging::show_status(std::move(lines));
  }
  Board board_;
  std::optional<Ticker> ticker_;  // last: stopped before the board goes
};

}  // namespace

std::unique_ptr<Sink> make_terminal_view(std::chrono::milliseconds every) { return std::make_unique<TerminalView>(every); }

}  // namespace kbc::progress
