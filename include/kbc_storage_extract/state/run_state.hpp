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
#include <vector>

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

  // Take over what `other` (another default state file of the same config: the unsharded one,
  // or another shard layout's) knows of the tables `ids`: an entry whose last import is newer
  // than this file's (or that this file lacks) replaces this one's, so a table that moved to
  // another shard continues its bookmark. Entries with an import in flight there are not taken:
  // their ids are returned, for that layout to settle. In memory until the next write.
  std::vector<std::string> adopt_newer(const RunState& other, const std::vector<std::string>& ids);

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
// The default state file of shard I of N (`run --shard I/N`): `orders.shard-2-of-4.state.json`,
// so that the shards of one config run at once, each with its own journal and lock.
std::filesystem::path shard_state_file(const std::filesystem::path& config_file, int index, int count);

// The other default state files of config `config_stem` in `own`'s folder that exist (the
// unsharded one and every `--shard I/N` one), `own` excluded, in name order.
std::vector<std::filesystem::path> sibling_state_files(const std::filesystem::path& own, const std::string& config_stem);

// An exclusive lock on `<state>.lock` (flock) held for the object's life, so two runs of one
// config never overlap. The lock file is left in place: removing it would let a third run
// lock a new file while the second still holds the old one.
class StateLock {
 public:
  // exclusive: one holder. shared: any number of shared holders, never with an exclusive
  // one (the shards of a config share its lock, an unsharded run of it excludes them all).
  enum class Mode { exclusive, shared };
  // Refused (ErrorKind::conflict, naming the other run's pid) when another process holds it.
  static Result<StateLock> acquire(const std::filesystem::path& state_file, Mode mode = Mode::exclusive);
  StateLock(StateLock&& other) noexcept;
  StateLock& operator=(StateLock&&) = delete;
  ~StateLock();

 private:
  explicit StateLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace kbc::state
