#pragma once
// The run's state as its events tell it, for consumers that show it at their own pace (the
// 5-second log line, the terminal view): per table its phase, since when, its job, bytes moved
// of how many; and the run's totals. Events come from many threads; snapshots are copies.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "kbc_storage_extract/progress/events.hpp"

namespace kbc::progress {

using Clock = std::chrono::steady_clock;

struct TableLine {
  std::string table;
  std::optional<Phase> phase;  // nullopt: planned, not yet exporting
  Clock::time_point phase_started{};
  std::optional<std::string> job_id;  // of the current phase's job
  std::uint64_t bytes = 0;             // gzip bytes moved so far
  std::optional<std::uint64_t> total;  // gzip bytes to move, once the exported file is known
  bool done = false;
  bool failed = false;
};

struct Snapshot {
  Clock::time_point now{};
  Clock::time_point started{};
  std::vector<TableLine> in_flight;  // in the order they started
  std::size_t finished = 0;
  std::size_t failed = 0;
  std::size_t tables = 0;    // started so far
  std::uint64_t bytes = 0;   // moved by every table
};

class Board : public Sink {
 public:
  void on(const Event& event) override;
  Snapshot snapshot() const;

 private:
  TableLine& line(const std::string& table);
  mutable std::mutex mutex_;
  Clock::time_point started_ = Clock::now();
  std::vector<TableLine> lines_;
};

// "exporting 12 s (job 123)" / "transferring 41.0 of 120.3 MiB, 38.2 MiB/s, ETA 2 s": one
// table's state for people, without its name.
std::string describe(const TableLine& line, Clock::time_point now);
// "2 s", "1 m 05 s", "1 h 02 m".
std::string human_duration(double seconds);

}  // namespace kbc::progress
