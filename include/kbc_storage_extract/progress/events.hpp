#pragma once
// What a run tells about itself while it runs: events from the orchestration (a table started,
// its phase changed, a job or file appeared, bytes moved, it finished) to any number of
// consumers: the 5-second log line, the terminal view, the JSON log (docs/progress.md).
// The orchestration only emits; what is shown, and how often, is each consumer's business.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kbc_storage_extract/error.hpp"

namespace kbc::progress {

enum class Phase { exporting, transferring, importing };
const char* to_string(Phase phase);

struct Event {
  enum class Kind { table_started, phase_started, job_started, file_ready, bytes_moved, table_finished, table_failed };
  Kind kind = Kind::table_started;
  std::string table;                         // the configured (source) table name
  std::optional<Phase> phase;                // phase_started, job_started, file_ready, bytes_moved
  std::uint64_t bytes = 0;                   // bytes_moved: moved since the last event (a delta)
  std::optional<std::uint64_t> total_bytes;  // table_started: CSV size; file_ready: bytes to move
  std::optional<std::string> job_id;         // job_started (as the API gives it)
  std::optional<std::int64_t> file_id;       // file_ready: the source's exported file
  double seconds = 0;                        // table_finished / table_failed: the table's time
  std::optional<Error> error;                // table_failed
};
const char* to_string(Event::Kind kind);

// Called from the tables' and slices' worker threads at once: implementations are
// thread-safe, and cheap (bytes_moved comes with every buffer that moves).
class Sink {
 public:
  virtual ~Sink() = default;
  virtual void on(const Event& event) = 0;
};

// Passes every event to each of its consumers, in the order they were added.
class Fanout : public Sink {
 public:
  void add(std::unique_ptr<Sink> sink) { sinks_.push_back(std::move(sink)); }
  bool empty() const { return sinks_.empty(); }
  void on(const Event& event) override {
    for (auto& sink : sinks_) sink->on(event);
  }

 private:
  std::vector<std::unique_ptr<Sink>> sinks_;
};

// One table's emitter, handed down the copy: a null sink makes every call a no-op (tests,
// dry runs).
class TableProgress {
 public:
  TableProgress() = default;
  TableProgress(Sink* sink, std::string table) : sink_(sink), table_(std::move(table)) {}

  void started(std::optional<std::uint64_t> csv_bytes) const;
  void phase(Phase phase) const;
  void job(Phase phase, const std::string& job_id) const;
  void file(std::int64_t file_id, std::uint64_t total_bytes) const;
  void moved(std::uint64_t delta) const;
  void finished(double seconds) const;
  void failed(double seconds, const Error& error) const;

 private:
  void emit(Event event) const;
  Sink* sink_ = nullptr;
  std::string table_;
};

}  // namespace kbc::progress
