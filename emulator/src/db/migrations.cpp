#include "db/migrations.hpp"

#include <set>
#include <string>

namespace kbc::emulator::db {

namespace {

struct AddedColumn {
  const char* table;
  const char* name;
  const char* definition;
};

// Append only: a column once here stays, so every data directory converges on one schema.
constexpr AddedColumn kAddedColumns[] = {
    {"files", "run_id", "TEXT"},  // X-KBC-RunId (files/prepare, exports)
    {"jobs", "run_id", "TEXT"},   // X-KBC-RunId of the request that started the job
};

std::set<std::string> columns_of(Connection& connection, const std::string& table) {
  auto s = connection.prepare("SELECT name FROM pragma_table_info(?)");
  s.bind(1, table);
  std::set<std::string> names;
  while (s.step()) names.insert(s.text(0));
  return names;
}

}  // namespace

void add_missing_columns(Connection& connection) {
  for (const auto& column : kAddedColumns) {
    if (columns_of(connection, column.table).count(column.name)) continue;
    connection.exec(std::string("ALTER TABLE ") + quote_identifier(column.table) + " ADD COLUMN " +
                    quote_identifier(column.name) + " " + column.definition);
  }
}

}  // namespace kbc::emulator::db
