#pragma once
// Tables changed in place, the work of the jobs tableColumnAdd, tableColumnDelete and
// tableRowsDelete (apiary.apib "Add Column to Table", "Delete Column from Table", "Delete
// Table Rows"). The checks run when the request arrives (400 at once) and again in the job,
// under the write lock, in case another job changed the table in between.
#include <cstdint>
#include <string>

#include "data/table_data.hpp"
#include "model/entities.hpp"
#include "services.hpp"

namespace kbc::emulator {

// The column name Storage makes of a requested one (storage-api-php-client AlterTableTest
// testTableColumnNameShouldBeWebalized): Latin letters lose their diacritics, each run of
// other characters than letters, digits and "_" becomes one "_", leading and trailing "_" go:
// "_abc-def----ghi_" -> "abc_def_ghi", "žluťoučký    kůň" -> "zlutoucky_kun".
std::string webalize_column_name(const std::string& name);

// 400 storage.tables.invalidColumnName (empty, over 64 characters) or
// storage.tables.columnAlreadyExists (any case: "ID" next to "id").
void check_column_addable(const TableMeta& table, const std::string& column);
// 404 storage.columns.notFound, 400 storage.tables.cannotDeletePrimaryKeyColumn, or
// 400 storage.tables.cannotDeleteLastColumn.
void check_column_deletable(const TableMeta& table, const std::string& column);

void add_table_column(Services& services, std::int64_t project_id, const std::string& table_id,
                      const std::string& column);
// Also removes the column's metadata.
void delete_table_column(Services& services, std::int64_t project_id, const std::string& table_id,
                         const std::string& column);
// Deletes the rows matching `filter` (its changedSince/changedUntil and where filters; no
// filter: every row); returns how many.
std::int64_t delete_table_rows(Services& services, std::int64_t project_id, const std::string& table_id,
                               const data::ExportQuery& filter, std::int64_t now);

}  // namespace kbc::emulator
