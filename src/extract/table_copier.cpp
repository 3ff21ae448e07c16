#include "kbc_storage_extract/extract/table_copier.hpp"

#include <algorithm>
#include <chrono>

#include <spdlog/spdlog.h>

#include "kbc_storage_extract/extract/import_once.hpp"
#include "kbc_storage_extract/extract/metadata_copy.hpp"

namespace kbc::extract {

namespace {

std::string key_text(const std::vector<std::string>& columns) {
  if (columns.empty()) return "(none)";
  std::string text;
  for (const auto& column : columns) text += (text.empty() ? "" : ", ") + column;
  return text;
}

std::int64_t unix_seconds(storage_api::TimePoint time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

struct Exported {
  storage_api::FileDetail file;
  std::optional<storage_api::TimePoint> window_end;  // for the bookmark, when the plan continues it
  std::string job_id;
};

// Export the source table and wait for the file.
// Each wait adds the wait before the poll that saw its job done to `slack`.
Result<Exported> export_source(const TablePlan& plan, Extraction& extraction, std::chrono::milliseconds& slack,
                               const progress::TableProgress& progress) {
  storage_api::ExportOptions options;
  options.gzip = true;
  if (plan.changed_since) options.changed_since = unix_seconds(*plan.changed_since);
  if (plan.changed_until) options.changed_until = unix_seconds(*plan.changed_until);
  options.columns = plan.config.columns;  // empty: all, in the table's order
  if (plan.config.where) {
    options.where_column = plan.config.where->column;
    options.where_values = plan.config.where->values;
    options.where_operator = plan.config.where->op;
  }
  auto started = extraction.source.export_table_async(plan.source.id, options);
  if (!started) return started.error();
  progress.job(progress::Phase::exporting, started->id);
  std::chrono::milliseconds waited{0};
  auto job = extraction.source.wait_for_job(*started, "export of " + plan.source.id, &waited);
  slack += waited;
  if (!job) return job.error();
  if (!job->file_id)
    return make_error(ErrorKind::protocol, fmt::format("export of {}: job {} finished without results.file.id", plan.source.id, job->id));
  auto file = extraction.source.get_file(*job->file_id);
  if (!file) return file.error();
  Exported exported{std::move(*file), std::nullopt, started->id};
  if (plan.continues_bookmark) {
    // Without a window end (no server time known) the export job's creation is the nearest
    // safe point: rows changed while it ran come again next time rather than never.
    exported.window_end = plan.changed_until ? plan.changed_until : job->created;
  }
  return exported;
}

// A missing destination table: created from a header-only file with the configured key.
Result<std::string> create_table(const TablePlan& plan, Extraction& extraction, std::chrono::milliseconds& slack) {
  const std::string name = plan.config.destination.empty() ? plan.config.name : plan.config.destination;
  auto header = upload_header_file(extraction.destination, name + ".header.csv", plan.columns);
  if (!header) return header.error();
  auto started = extraction.destination.create_table_async(extraction.destination_bucket,
                                                           {name, *header, plan.config.primary_key});
  if (!started) return started.error();
  std::chrono::milliseconds waited{0};
  auto job = extraction.destination.wait_for_job(*started, "creation of table " + plan.destination_table_id, &waited);
  slack += waited;
  if (!job) return job.error();
  spdlog::info("created table {} with primary key {}", plan.destination_table_id, key_text(plan.config.primary_key));
  return job->created_table_id.empty() ? plan.destination_table_id : job->created_table_id;
}

// Two keys of the same columns, in any order.
bool same_key(std::vector<std::string> a, std::vector<std::string> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

struct CreatedTable {
  std::string id;
  bool existed = false;  // there by now: created by a run that was killed in its creation job
};

// The table missing when the run was planned; if it is there by now (a killed run's creation
// job ended after the kill, or another config's run made it), it is used as it is: creating it
// twice would fail the run that should converge.
Result<CreatedTable> create_destination(const TablePlan& plan, Extraction& extraction, std::chrono::milliseconds& slack) {
  auto created = create_table(plan, extraction, slack);
  if (created) return CreatedTable{*created, false};
  if (created.error().api_code != "storage.tables.alreadyExists") return created.error();
  auto existing = extraction.destination.get_table(plan.destination_table_id);
  if (!existing) return created.error();
  spdlog::warn("table {}: {} exists now although it did not when this run started (created by an interrupted run, "
               "or by another one); importing into it", plan.config.name, plan.destination_table_id);
  return CreatedTable{existing->id, true};
}

// The configured primary key replaces the destination table's own, where the API allows it.
Status apply_primary_key(const TablePlan& plan, Extraction& extraction, std::chrono::milliseconds& slack) {
  const auto& current = plan.destination->primary_key;
  const auto stop = [&](const Error& cause) {
    Error error = cause;
    error.message = fmt::format("table {} has primary key {} but the config asks for {}, and changing it failed: {}",
                                plan.destination_table_id, key_text(current), key_text(plan.config.primary_key),
                                cause.message);
    error.hint = "set the primary key in the destination project (table detail > Primary key), or make the "
                 "config's primaryKey match it; rows that break the new key (duplicates) must be removed first";
    return error;
  };
  if (!current.empty()) {
    auto started = extraction.destination.remove_primary_key(plan.destination_table_id);
    if (!started) return stop(started.error());
    std::chrono::milliseconds waited{0};
    auto job = extraction.destination.wait_for_job(*started, "removing the primary key of " + plan.destination_table_id, &waited);
    slack += waited;
    if (!job) return stop(job.error());
  }
  if (plan.config.primary_key.empty()) {  // fullSync of a source without a key: removing it was all
    spdlog::info("primary key of {} removed (was {})", plan.destination_table_id, key_text(current));
    return {};
  }
  auto started = extraction.destination.add_primary_key(plan.destination_table_id, plan.config.primary_key);
  if (!started) return stop(started.error());
  std::chrono::milliseconds waited{0};
  auto job = extraction.destination.wait_for_job(*started, "setting the primary key of " + plan.destination_table_id, &waited);
  slack += waited;
  if (!job) {
    // A run killed in its own key change left that job to finish on the server, maybe only
    // after this run read the table: the key may be the configured one by now.
    auto now = extraction.destination.get_table(plan.destination_table_id);
    if (job.error().kind != ErrorKind::job_failed || !now || !same_key(now->primary_key, plan.config.primary_key))
      return stop(job.error());
    spdlog::warn("table {}: {} has the primary key {} by now (set by an interrupted run, or by another one)",
                 plan.config.name, plan.destination_table_id, key_text(plan.config.primary_key));
    return {};
  }
  spdlog::info("primary key of {} changed from {} to {}", plan.destination_table_id, key_text(current),
               key_text(plan.config.primary_key));
  return {};
}

// Where a table's moved rows come from, so that the bytes only pass through (no inflating):
//  - the destination was replaced or just created (not incremental): the import job's
//    totalRowsCount, since the table now holds exactly the rows moved;
//  - an incremental load of the whole table: the source table's rowsCount (table detail), the
//    rows the export returns;
//  - an incremental load of changed rows (changedSince): no API reports their number, so they
//    are counted in transit.
enum class RowSource { import_total, source_rows_count, counted, unknown };

RowSource row_source(const TablePlan& plan, bool incremental_import) {
  if (!incremental_import) return RowSource::import_total;
  // A window (changedSince, or the changedUntil of "auto") is a part of the table: counted.
  return plan.exports_part() ? RowSource::counted : RowSource::source_rows_count;
}

// An import by a key the source does not keep unique merges the rows that share a value (one
// of them stays). Only a replace of the whole table shows it for certain: fewer rows landed than
// the source table has. (An upsert cannot tell a merged duplicate from an updated row without
// reading every key, which the byte-only transfer does not.)
std::optional<std::string> merged_rows_warning(const TablePlan& plan, const TableCopy& copy) {
  const auto& key = !plan.config.primary_key.empty() || !plan.destination ? plan.config.primary_key : plan.destination->primary_key;
  if (key.empty() || same_key(key, plan.source.primary_key)) return std::nullopt;
  const bool whole_replace = !(plan.destination && plan.config.incremental) && !plan.exports_part();
  if (!whole_replace || !copy.destination_rows || *copy.destination_rows >= plan.source.rows_count) return std::nullopt;
  return fmt::format("the primary key {} is not unique in the data: the source's {} rows landed as {} rows, one per key "
                     "value (rows sharing a value were merged into one); the source table's own key is {}",
                     key_text(key), plan.source.rows_count, *copy.destination_rows, key_text(plan.source.primary_key));
}

}  // namespace

Result<TableCopy> copy_table(const TablePlan& plan, Extraction& extraction, const progress::TableProgress& progress) {
  TableCopy copy;
  copy.destination_table_id = plan.destination_table_id;

  using Clock = std::chrono::steady_clock;
  const auto seconds_since = [](Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); };
  std::chrono::milliseconds slack{0};
  auto phase_started = Clock::now();
  progress.phase(progress::Phase::exporting);
  auto exported = export_source(plan, extraction, slack, progress);
  if (!exported) return exported.error();
  copy.phases.export_job = seconds_since(phase_started);
  copy.ids.export_job = exported->job_id;
  copy.ids.source_file = exported->file.id;
  phase_started = Clock::now();
  // A just-created table is empty, so a full load and an incremental one are the same.
  bool incremental = plan.destination ? plan.config.incremental : false;
  RowSource rows_from = row_source(plan, incremental);
  TransferOptions transfer = extraction.transfer;
  transfer.count_rows = rows_from == RowSource::counted;
  transfer.progress = &progress;
  progress.phase(progress::Phase::transferring);
  const std::string name = plan.config.destination.empty() ? plan.config.name : plan.config.destination;
  auto transferred = transfer_file(exported->file, extraction.source, extraction.destination, name + ".csv.gz", transfer);
  if (!transferred && transferred.error().kind == ErrorKind::credentials_expired) {
    // Temporary storage credentials expired (a long copy, a slow queue): ask for fresh ones
    // on both sides and copy once more; nothing was written to the destination table yet.
    spdlog::warn("table {}: {}; retrying the copy with fresh credentials", plan.config.name,
                 transferred.error().describe());
    auto fresh = extraction.source.get_file(exported->file.id);
    if (!fresh) return fresh.error();
    transferred = transfer_file(*fresh, extraction.source, extraction.destination, name + ".csv.gz", transfer);
  }
  if (!transferred) return transferred.error();
  copy.bytes = transferred->bytes;
  copy.ids.destination_file = transferred->file_id;
  copy.slices = transferred->slices;
  copy.checksums_verified = transferred->checksums_verified;
  copy.phases.transfer = seconds_since(phase_started);
  phase_started = Clock::now();
  if (rows_from == RowSource::counted) copy.rows = transferred->rows;

  // Only now, with the data complete on the destination side, does the destination change.
  progress.phase(progress::Phase::importing);
  if (!plan.destination) {
    auto created = create_destination(plan, extraction, slack);
    if (!created) return created.error();
    copy.destination_table_id = created->id;
    if (created->existed && plan.config.incremental) {
      incremental = true;  // it may hold rows already
      // Its total after the import is then no measure of the rows moved: those are the whole
      // source table's, or, for a window, uncounted (counting was not asked for in transit).
      rows_from = row_source(plan, true) == RowSource::source_rows_count ? RowSource::source_rows_count : RowSource::unknown;
    }
  } else if (plan.change_primary_key) {
    if (auto changed = apply_primary_key(plan, extraction, slack); !changed) return changed.error();
  }

  storage_api::ImportOptions import;
  import.data_file_id = transferred->file_id;
  import.incremental = incremental;
  import.columns = plan.columns;  // the exported slices have no header row
  std::chrono::milliseconds waited{0};
  ImportRequest request{copy.destination_table_id, import,
                        {extraction.source.base_url(), plan.source.id, extraction.destination.base_url(), {}, {}, {}},
                        exported->window_end, &waited, &progress};
  auto job = import_once(extraction.destination, extraction.state, request);
  if (!job) return job.error();
  slack += waited;
  copy.phases.import_job = seconds_since(phase_started);
  copy.phases.poll_slack = std::chrono::duration<double>(slack).count();
  copy.destination_rows = job->total_rows_count;
  copy.ids.import_job = job->id;
  if (rows_from == RowSource::import_total) copy.rows = job->total_rows_count;
  if (rows_from == RowSource::source_rows_count) copy.rows = plan.source.rows_count;
  if (auto warning = merged_rows_warning(plan, copy)) copy.warnings.push_back(std::move(*warning));
  if (plan.config.copy_metadata) {
    // After the import: a failed import leaves no metadata that describes data not there.
    auto items = copy_metadata(extraction.source, plan.source.id, extraction.destination, copy.destination_table_id);
    if (!items) return items.error();
    copy.metadata_items = *items;
  }
  return copy;
}

}  // namespace kbc::extract
