#pragma once
// What a run did, table by table: the summary printed at the end and the --report JSON.
// Built from values the run already holds; it never sees a token or a signed URL.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kbc_storage_extract/error.hpp"
#include "kbc_storage_extract/exit_codes.hpp"
#include "kbc_storage_extract/result.hpp"

namespace kbc::report {

using TimePoint = std::chrono::system_clock::time_point;

// Where a copied table's time went (seconds): its jobs from start to seen done, the file copy,
// and the poll slack: for each job the wait before the poll that saw it done, summed (an upper
// bound of how late the jobs' ends were noticed).
struct TablePhases {
  double export_job = 0;     // export-async until the job was seen done, plus the file detail
  double transfer = 0;       // the slices copied and the manifest written
  double import_job = 0;     // create/primary key jobs and import-async until seen done
  double poll_slack = 0;
};

// The Storage API objects a copied table went through, for finding them in either project
// (job and file detail) or in a support ticket.
struct TableIds {
  std::string export_job;                          // the source's export job
  std::optional<std::int64_t> source_file;         // the file the export wrote
  std::optional<std::int64_t> destination_file;    // the file the copy wrote
  std::string import_job;                          // the destination's import job
};

// What the import changes in an existing destination table, known before any data moves.
struct PrimaryKeyChange {
  std::vector<std::string> from;
  std::vector<std::string> to;
};
struct ImportChanges {
  std::vector<std::string> added_columns;    // exported, not in the destination yet: the import adds them
  std::vector<std::string> missing_columns;  // in the destination, not exported: the import would fail
  std::optional<PrimaryKeyChange> primary_key;  // the configured key replaces the table's own
};

// "a, b" ("(none)" for no names), as plan lines and messages show column lists.
std::string names_text(const std::vector<std::string>& names);

struct TableReport {
  enum class Status { ok, failed, skipped };
  std::string name;                  // the configured (source) table name
  std::string source_table_id;       // in.c-main.orders
  std::string destination_table_id;  // in.c-from-eu.orders
  std::string action;                // create | replace | append | upsert (empty when unknown)
  std::optional<TimePoint> changed_since;  // resolved, absolute
  std::optional<std::uint64_t> source_rows;   // the source table's rowsCount (whole table)
  std::optional<std::uint64_t> source_bytes;  // the source table's dataSizeBytes
  std::optional<std::uint64_t> rows;              // rows moved (see docs/run.md), when known
  std::optional<std::uint64_t> destination_rows;  // the destination table's rows after the import
  std::uint64_t bytes = 0;                 // bytes copied between the file storages
  std::size_t slices = 0;                  // objects copied
  std::size_t checksums_verified = 0;      // of them, those whose MD5 matched the source storage's
  std::optional<std::size_t> metadata_items;  // "copyMetadata": items copied; nullopt: not asked for
  double seconds = 0;
  std::optional<TablePhases> phases;  // when the table was copied (not in a dry run)
  std::optional<TableIds> ids;        // when the table was copied
  Status status = Status::ok;
  std::string skip_reason;  // for skipped tables: "disabled", "not selected with --table"
  std::optional<Error> error;
  // What the user should know although nothing failed (e.g. a full load with changedSince).
  std::vector<std::string> warnings;
  std::string glob;                            // the glob entry this table was expanded from, if any
  std::optional<ImportChanges> import_changes;  // when the destination table exists
};
const char* to_string(TableReport::Status status);

struct ProjectSide {
  std::string url;
  std::string project_id;
  std::string project_name;
  std::string region;
  std::string bucket_id;
};

// `run --shard I/N`: which shard ran and which configured tables it holds (the others are
// in other shards' reports, not in this one).
struct ShardReport {
  int index = 1;  // 1-based
  int count = 1;
  std::vector<std::string> tables;  // names, configuration order
  std::size_t configured_tables = 0;
};

struct RunReport {
  TimePoint started{};
  TimePoint finished{};
  bool dry_run = false;
  ProjectSide source;
  ProjectSide destination;
  std::vector<TableReport> tables;  // configuration order (with a shard: only its tables)
  std::optional<ShardReport> shard;  // --shard I/N; nullopt: every configured table
  // What stopped the run before the tables (a refused token, an unknown --table), if anything.
  std::optional<Error> stopped_by;
  std::optional<ExitCode> exit_code;  // set with stopped_by, or interrupted (130)
};

// 0 every attempted table ok (skipped ones do not count), 4 some ok and some failed,
// 1 all attempted tables failed.
ExitCode run_exit_code(const RunReport& report);

// The summary table printed at the end of a run (one line per table plus a total).
std::string render_summary(const RunReport& report);

nlohmann::json to_json(const RunReport& report);
// {kind, message, hint, httpStatus?, code?, requestId?}: an error as the report and the JSON
// events show it.
nlohmann::json error_json(const Error& error);
// Before any work: `file` may take the report. Refused (ErrorKind::invalid_input) when it is one
// of `protected_files` (the config), is not a regular file (a directory, a FIFO, /dev/full), or
// its folder does not take a new file (missing, not writable: checked by creating the temp file
// the report will be written to, and removing it).
Status check_report_target(const std::filesystem::path& file, const std::vector<std::filesystem::path>& protected_files);
// Write the JSON report atomically (a temp file next to it, then rename), so a reader never
// sees half of it.
Status write_report(const std::filesystem::path& file, const RunReport& report);

// The --dry-run plan: source table, rows, size, destination table, action, changedSince.
std::string render_plan(const RunReport& report);

// "1.5 MiB", "12 B": sizes for people.
std::string human_bytes(std::uint64_t bytes);

}  // namespace kbc::report
