#pragma once
// The run state of one config, kept between runs in one JSON file:
// - a journal of the imports in flight (which destination file goes into which table, the
//   job once known), so a run after a lost answer, a kill or a crash settles what was in
//   flight instead of importing it twice or reporting an import that happened as failed;
// - per-table bookmarks: where the next `"changedSince": "auto"` export starts.
// Every change is written at once, atomically (temp file + fsync + rename). Thread-safe: tables
// running in parallel journal through one RunState.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "kbc_storage_extract/result.hpp"

namespace kbc::state {

using TimePoint = std::chrono::system_clock::time_point;

// An import the tool asked for (or is about to) and has not seen end yet.
struct InFlightImport {
  std::int64_t file_id = 0;  // the destination file the import reads
  std::string job_id;        // empty until import-async answered
  // The bookmark a successful import sets: the end of its export's changedSince window.
  // Empty when the export's window does not continue the bookmark (an explicit changedSince).
  std::optional<TimePoint> window_end;
  TimePoint journalled;  // local time the entry was written (the job list is searched from here)
};

struct TableState {
  // What the bookmark belongs to: an entry of another source or destination is not used.
  std::string source_url;
  std::string source_table_id;
  std::string destination_url;
  std::optional<TimePoint> bookmark;  // rows changed at or after it are not copied yet
  std::optional<TimePoint> last_import;  // local time of the last import that succeeded
  std::optional<InFlightImport> in_flight;
};

class RunState {
 public:
  // The state in `file`; a missing file is an empty state. A file that is not a state of this
  // tool is an error naming it (never overwritten silently).
  static Result<RunState> load(const std::filesystem::path& file);
  // A state that is never written (dry runs read the file but change nothing).
  static RunState read_only(RunState state);

  RunState(RunState&& other) noexcept;
  RunState& operator=(RunState&&) = delete;

  const std::filesystem::path& file() const { return file_; }

  // A copy of one table's entry (keyed by destination table id), if any.
  std::optional<TableState> table(const std::string& destination_table_id) const;
  // Every destination table with an import in flight.
  std::map<std::string, TableState> in_flight() const;

  // Journal steps; each is written before it returns.
  Status begin_import(const std::string& destination_table_id, const TableState& identity, InFlightImport import);
  Status set_import_job(const std::string& destination_table_id, const std::string& job_id);
  // The import ended: with `landed`, the bookmark moves to the window's end (when it has one).
  Status end_import(const std::string& destination_table_id, bool landed, TimePoint now);

 private:
  RunState() = default;
  Status save_locked() const;

  std::filesystem::path file_;
  bool writable_ = true;
  mutable std::mutex mutex_;
  std::map<std::string, TableState> tables_;
};

// The default state file of a config: `orders.json` -> `orders.state.json` beside it.
std::filesystem::path default_state_file(const std::filesystem::path& config_file);

// An exclusive lock on `<state>.lock` (flock) held for the object's life, so two runs of one
// config never overlap. The lock file is left in place: removing it would let a third run
// lock a new file while the second still holds the old one.
class StateLock {
 public:
  // Refused (ErrorKind::conflict, naming the other run's pid) when another process holds it.
  static Result<StateLock> acquire(const std::filesystem::path& state_file);
  StateLock(StateLock&& other) noexcept;
  StateLock& operator=(StateLock&&) = delete;
  ~StateLock();

 private:
  explicit StateLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace kbc::state
