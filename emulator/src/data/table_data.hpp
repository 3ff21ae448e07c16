#pragma once
// A Storage table's rows: one SQLite table per Storage table (TEXT columns in the table's
// column order, `_timestamp` = unix time of the row's last change, rowid = insertion order).
// Loads upsert by primary key, append without one, or replace (full load); exports stream
// rows matching the filters. All calls run inside the caller's transaction.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "data/csv.hpp"
#include "db/sqlite.hpp"
#include "model/entities.hpp"

namespace kbc::emulator::data {

// Throws ApiError (storage.tables.validation.invalidColumnName) for a name Storage refuses.
void validate_column_name(const std::string& name);

void create_rows_table(db::Connection& conn, const TableMeta& table);
void drop_rows_table(db::Connection& conn, const TableMeta& table);

struct LoadResult {
  std::vector<std::string> imported_columns;
  std::int64_t rows_in_file = 0;
  bool changed = false;  // some row was inserted, updated or deleted
};

// Loads the rest of `reader` whose fields are `file_columns` into `table` (updated in place:
// columns, rowsCount, dataSizeBytes, lastImportDate, lastChangeDate). Columns the table lacks
// are added; a file without all table columns fails with csvImport.columnsNotMatch.
LoadResult load_rows(db::Connection& conn, TableMeta& table, CsvReader& reader,
                     const std::vector<std::string>& file_columns, bool incremental, std::int64_t now,
                     char delimiter);

// Adds a primary key (storage.tables.primaryKeyDuplicateValues when values repeat).
void add_primary_key(db::Connection& conn, TableMeta& table, const std::vector<std::string>& columns);
void remove_primary_key(db::Connection& conn, TableMeta& table);

struct WhereFilter {
  std::string column;
  std::string op = "eq";  // eq ne gt ge lt le
  std::vector<std::string> values;
  std::string data_type;  // "" = compare as text; INTEGER/DOUBLE/NUMERIC/REAL compare as numbers
};

struct ExportQuery {
  std::vector<std::string> columns;  // empty = all, in table order
  std::optional<std::int64_t> changed_since;
  std::optional<std::int64_t> changed_until;
  std::optional<std::int64_t> limit;
  std::vector<WhereFilter> filters;
};

using RowSink = std::function<void(const std::vector<std::string_view>& values)>;

// Streams the matching rows in insertion order; returns how many.
std::int64_t export_rows(db::Connection& conn, const TableMeta& table, const ExportQuery& query, const RowSink& sink);

// Deletes the rows an export with `filter`'s changedSince/changedUntil and where filters would
// stream (its columns and limit are ignored); updates rowsCount, dataSizeBytes and (when rows
// went) lastChangeDate; returns how many.
std::int64_t delete_rows(db::Connection& conn, TableMeta& table, const ExportQuery& filter, std::int64_t now);

// A new last column, '' in every row; the name is checked by the caller.
void add_column(db::Connection& conn, TableMeta& table, const std::string& column);
// Drops a column that is not in the primary key (its index would refuse it).
void remove_column(db::Connection& conn, TableMeta& table, const std::string& column);

}  // namespace kbc::emulator::data
