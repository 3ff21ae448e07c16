#include "kbc_storage_extract/progress/board.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace kbc::progress {

TableLine& Board::line(const std::string& table) {
  auto found = std::find_if(lines_.begin(), lines_.end(), [&](const TableLine& l) { return l.table == table; });
  if (found != lines_.end()) return *found;
  lines_.push_back(TableLine{table, std::nullopt, Clock::now(), std::nullopt, 0, std::nullopt, false, false});
  return lines_.back();
}

void Board::on(const Event& event) {
  std::lock_guard lock(mutex_);
  TableLine& state = line(event.table);
  switch (event.kind) {
    case Event::Kind::table_started: break;
    case Event::Kind::phase_started:
      state.phase = event.phase;
      state.phase_started = Clock::now();
      state.job_id.reset();
      break;
    case Event::Kind::job_started: state.job_id = event.job_id; break;
    case Event::Kind::file_ready:
      state.total = event.total_bytes;
      state.bytes = 0;
      break;
    case Event::Kind::bytes_moved: state.bytes += event.bytes; break;
    case Event::Kind::table_finished: state.done = true; break;
    case Event::Kind::table_failed:
      state.done = true;
      state.failed = true;
      break;
  }
}

Snapshot Board::snapshot() const {
  std::lock_guard lock(mutex_);
  Snapshot out;
  out.now = Clock::now();
  out.started = started_;
  out.tables = lines_.size();
  for (const auto& line : lines_) {
    out.bytes += line.bytes;
    if (!line.done) out.in_flight.push_back(line);
    else if (line.failed) ++out.failed;
    else ++out.finished;
  }
  return out;
}

std::string human_duration(double seconds) {
  const auto whole = static_cast<long long>(std::max(0.0, std::floor(seconds)));
  if (whole < 60) return fmt::format("{} s", whole);
  if (whole < 3600) return fmt::format("{} m {:02} s", whole / 60, whole % 60);
  return fmt::format("{} h {:02} m", whole / 3600, whole % 3600 / 60);
}

std::string describe(const TableLine& line, Clock::time_point now) {
  if (!line.phase) return "planned";
  const double elapsed = std::chrono::duration<double>(now - line.phase_started).count();
  const std::string job = line.job_id ? fmt::format(" (job {})", *line.job_id) : "";
  if (*line.phase != Phase::transferring || !line.total) return fmt::format("{} {}{}", to_string(*line.phase), human_duration(elapsed), job);
  constexpr double mib = 1048576.0;
  const double rate = elapsed > 0 ? static_cast<double>(line.bytes) / elapsed : 0;
  std::string text = fmt::format("transferring {:.1f} of {:.1f} MiB gzip, {:.1f} MiB/s", line.bytes / mib, *line.total / mib, rate / mib);
  if (rate > 0 && *line.total > line.bytes)
    text += ", ETA " + human_duration(static_cast<double>(*line.total - line.bytes) / rate);
  return text;
}

}  // namespace kbc::progress
