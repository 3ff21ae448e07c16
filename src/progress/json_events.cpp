// --log-format json: every event one line with its fields, so that a log pipeline can follow a
// run. Bytes come as deltas: summed per table and written at most once per `bytes_every`, and
// before the table's next other event, so that the deltas of a table add up to its bytes.
#include <map>
#include <mutex>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "kbc_storage_extract/logging.hpp"
#include "kbc_storage_extract/progress/consumers.hpp"
#include "kbc_storage_extract/report/report.hpp"

namespace kbc::progress {

namespace {

using Clock = std::chrono::steady_clock;

nlohmann::ordered_json fields_of(const Event& event) {
  nlohmann::ordered_json fields{{"event", to_string(event.kind)}, {"table", event.table}};
  if (event.phase) fields["phase"] = to_string(*event.phase);
  if (event.kind == Event::Kind::bytes_moved) fields["bytes"] = event.bytes;
  if (event.total_bytes) fields["totalBytes"] = *event.total_bytes;
  if (event.job_id) fields["jobId"] = *event.job_id;
  if (event.file_id) fields["fileId"] = *event.file_id;
  if (event.kind == Event::Kind::table_finished || event.kind == Event::Kind::table_failed) fields["seconds"] = event.seconds;
  if (event.error) fields["error"] = report::error_json(*event.error);
  return fields;
}

std::string message_of(const Event& event) {
  switch (event.kind) {
    case Event::Kind::table_started: return fmt::format("table {}: started", event.table);
    case Event::Kind::phase_started: return fmt::format("table {}: {}", event.table, to_string(*event.phase));
    case Event::Kind::job_started: return fmt::format("table {}: {} job {}", event.table, to_string(*event.phase), *event.job_id);
    case Event::Kind::file_ready:
      return fmt::format("table {}: exported file {}, {} bytes to move", event.table, *event.file_id, *event.total_bytes);
    case Event::Kind::bytes_moved: return fmt::format("table {}: {} bytes moved", event.table, event.bytes);
    case Event::Kind::table_finished: return fmt::format("table {}: done in {:.1f} s", event.table, event.seconds);
    case Event::Kind::table_failed: return fmt::format("table {}: failed after {:.1f} s", event.table, event.seconds);
  }
  return event.table;
}

class JsonEvents final : public Sink {
 public:
  explicit JsonEvents(std::chrono::milliseconds bytes_every) : bytes_every_(bytes_every) {}
  ~JsonEvents() override {
    std::lock_guard lock(mutex_);
    for (auto& [table, pending] : pending_) flush_locked(table, pending);
  }

  void on(const Event& event) override {
    std::lock_guard lock(mutex_);
    auto& pending = pending_[event.table];
    if (event.kind == Event::Kind::bytes_moved) {
      pending.bytes += event.bytes;
      if (Clock::now() - pending.last_written >= bytes_every_) flush_locked(event.table, pending);
      return;
    }
    flush_locked(event.table, pending);
    write(event);
  }

 private:
  struct Pending {
    std::uint64_t bytes = 0;
    Clock::time_point last_written{};
  };
  void flush_locked(const std::string& table, Pending& pending) {
    if (pending.bytes == 0) return;
    Event bytes;
    bytes.kind = Event::Kind::bytes_moved;
    bytes.table = table;
    bytes.phase = Phase::transferring;
    bytes.bytes = pending.bytes;
    write(bytes);
    pending.bytes = 0;
    pending.last_written = Clock::now();
  }
  static void write(const Event& event) {
    // Info also for a failure: its error line is logged by the run already.
    logging::log_event(spdlog::level::info, message_of(event), fields_of(event));
  }

  std::chrono::milliseconds bytes_every_;
  std::mutex mutex_;
  std::map<std::string, Pending> pending_;
};

}  // namespace

std::unique_ptr<Sink> make_json_events(std::chrono::milliseconds bytes_every) {
  return std::make_unique<JsonEvents>(bytes_every);
}

}  // namespace kbc::progress
