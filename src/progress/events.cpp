#include "kbc_storage_extract/progress/events.hpp"

namespace kbc::progress {

const char* to_string(Phase phase) {
  switch (phase) {
    case Phase::exporting: return "exporting";
    case Phase::transferring: return "transferring";
    case Phase::importing: return "importing";
  }
  return "unknown";
}

const char* to_string(Event::Kind kind) {
  switch (kind) {
    case Event::Kind::table_started: return "tableStarted";
    case Event::Kind::phase_started: return "phaseStarted";
    case Event::Kind::job_started: return "jobStarted";
    case Event::Kind::file_ready: return "fileReady";
    case Event::Kind::bytes_moved: return "bytesMoved";
    case Event::Kind::table_finished: return "tableFinished";
    case Event::Kind::table_failed: return "tableFailed";
  }
  return "unknown";
}

void TableProgress::emit(Event event) const {
  if (!sink_) return;
  event.table = table_;
  sink_->on(event);
}

void TableProgress::started(std::optional<std::uint64_t> csv_bytes) const {
  Event event;
  event.kind = Event::Kind::table_started;
  event.total_bytes = csv_bytes;
  emit(std::move(event));
}

void TableProgress::phase(Phase phase) const {
  Event event;
  event.kind = Event::Kind::phase_started;
  event.phase = phase;
  emit(std::move(event));
}

void TableProgress::job(Phase phase, const std::string& job_id) const {
  Event event;
  event.kind = Event::Kind::job_started;
  event.phase = phase;
  event.job_id = job_id;
  emit(std::move(event));
}

void TableProgress::file(std::int64_t file_id, std::uint64_t total_bytes) const {
  Event event;
  event.kind = Event::Kind::file_ready;
  event.phase = Phase::transferring;
  event.file_id = file_id;
  event.total_bytes = total_bytes;
  emit(std::move(event));
}

void TableProgress::moved(std::uint64_t delta) const {
  if (!sink_ || delta == 0) return;
  Event event;
  event.kind = Event::Kind::bytes_moved;
  event.phase = Phase::transferring;
  event.bytes = delta;
  emit(std::move(event));
}

void TableProgress::finished(double seconds) const {
  Event event;
  event.kind = Event::Kind::table_finished;
  event.seconds = seconds;
  emit(std::move(event));
}

void TableProgress::failed(double seconds, const Error& error) const {
  Event event;
  event.kind = Event::Kind::table_failed;
  event.seconds = seconds;
  event.error = error;
  emit(std::move(event));
}

}  // namespace kbc::progress
