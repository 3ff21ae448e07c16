#pragma once
// What a run will do with each table, decided before any data moves: which tables (config
// order, --table), the destination action, the resolved changedSince.
#include <optional>
#include <string>
#include <vector>

#include "kbc_storage_extract/config.hpp"
#include "kbc_storage_extract/report/report.hpp"
#include "kbc_storage_extract/result.hpp"
#include "kbc_storage_extract/storage_api/types.hpp"

namespace kbc::extract {

// What happens to the destination table: `create` (missing: created with the configured
// primary key, then loaded), `replace` (not incremental), `append` (incremental, no primary
// key), `upsert` (incremental with a primary key: the configured one, else the table's own).
enum class Action { create, replace, append, upsert };
const char* to_string(Action action);

Action decide_action(bool destination_exists, bool incremental, const std::vector<std::string>& configured_primary_key,
                     const std::vector<std::string>& destination_primary_key);

// A configured table and whether this run copies it.
struct SelectedTable {
  TableConfig config;
  bool selected = true;
  std::string skip_reason;  // "disabled", "not selected with --table"
};

// All configured tables in config order, marked: the enabled ones, or exactly the --table
// names (which run even when disabled: naming a table is an explicit request). An unknown
// name is ErrorKind::invalid_input naming the closest configured ones.
Result<std::vector<SelectedTable>> select_tables(const Config& config, const std::vector<std::string>& only);

// Up to `limit` of `candidates` closest to `name` (case-insensitive; substrings first, then
// by edit distance), for "did you mean" messages.
std::vector<std::string> closest_names(const std::string& name, const std::vector<std::string>& candidates,
                                       std::size_t limit = 3);

// changedSince as a unix timestamp for export-async, resolved once per run against `now`.
std::optional<storage_api::TimePoint> resolve_changed_since(const TableConfig& table, storage_api::TimePoint now);

struct TablePlan {
  TableConfig config;
  storage_api::TableDetail source;
  std::optional<storage_api::TableDetail> destination;  // nullopt: will be created
  std::string destination_table_id;                     // bucket + "." + config.destination
  Action action = Action::replace;
  std::optional<storage_api::TimePoint> changed_since;
  // "changedSince": "auto": the export's window ends here (server clock; rows changed later
  // come with the next run), and a successful import moves the bookmark to it.
  bool continues_bookmark = false;
  std::optional<storage_api::TimePoint> changed_until;
  // The configured primary key differs from the existing destination table's: it is set first.
  bool change_primary_key = false;
  std::vector<std::string> columns;  // what the export delivers: "columns", else the source's
  std::optional<report::ImportChanges> changes;  // against the existing destination table
  // The export is a part of the table (a time window or a row filter): its rows are counted.
  bool exports_part() const { return changed_since || changed_until || config.where.has_value(); }
};

// A "columns" or whereColumn name the source table lacks: the table's error, before any export.
std::optional<Error> filter_problem(const TableConfig& table, const storage_api::TableDetail& source);
// The exported columns against an existing destination table's.
report::ImportChanges compare_columns(const std::vector<std::string>& exported, const storage_api::TableDetail& destination);
// Destination columns the export lacks: a Storage import would fail (ErrorKind::conflict).
std::optional<Error> import_problem(const TablePlan& plan);

TablePlan make_plan(const TableConfig& table, const storage_api::TableDetail& source,
                    const std::optional<storage_api::TableDetail>& destination, const std::string& destination_bucket,
                    storage_api::TimePoint now);

}  // namespace kbc::extract
