#include "data/table_data.hpp"

#include <algorithm>
#include <set>

#include "api/api_error.hpp"

namespace kbc::emulator::data {

using db::quote_identifier;

namespace {

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += separator;
    out += items[i];
  }
  return out;
}

std::string column_list(const std::vector<std::string>& columns) {
  std::vector<std::string> quoted;
  for (const auto& c : columns) quoted.push_back(quote_identifier(c));
  return join(quoted, ", ");
}

std::string pk_index_name(const TableMeta& table) { return "pk_" + std::to_string(table.storage_id); }

bool contains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

void refresh_counts(db::Connection& conn, TableMeta& table) {
  auto s = conn.prepare("SELECT COUNT(*) FROM " + quote_identifier(table.data_table()));
  s.step();
  table.rows_count = s.integer(0);
}

}  // namespace

void validate_column_name(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 64 && name.front() != '_';
  for (char c : name) {
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  }
  if (!ok) {
    throw bad_request("Invalid columns: " + name +
                          ". Only alphanumeric characters and underscores are allowed in column name. "
                          "Underscore is not allowed on the beginning.",
                      "storage.tables.validation.invalidColumnName");
  }
}

void create_rows_table(db::Connection& conn, const TableMeta& table) {
  std::string sql = "CREATE TABLE " + quote_identifier(table.data_table()) + " (";
  for (const auto& column : table.columns) sql += quote_identifier(column) + " TEXT NOT NULL DEFAULT '', ";
  sql += "\"_timestamp\" INTEGER NOT NULL)";
  conn.exec(sql);
  if (!table.primary_key.empty()) {
    conn.exec("CREATE UNIQUE INDEX " + quote_identifier(pk_index_name(table)) + " ON " +
              quote_identifier(table.data_table()) + "(" + column_list(table.primary_key) + ")");
  }
}

void drop_rows_table(db::Connection& conn, const TableMeta& table) {
  conn.exec("DROP TABLE IF EXISTS " + quote_identifier(table.data_table()));
}

LoadResult load_rows(db::Connection& conn, TableMeta& table, CsvReader& reader,
                     const std::vector<std::string>& file_columns, bool incremental, std::int64_t now,
                     char delimiter) {
  // This thread's connection may still hold the schema from before another thread's change (a
  // primary key set by a job that ran on another thread). Running a statement reloads it;
  // preparing alone does not, and the upsert below was then refused: "ON CONFLICT clause does
  // not match any PRIMARY KEY or UNIQUE constraint" (1 run in ~30 under load).
  conn.exec("SELECT count(*) FROM sqlite_master");
  std::set<std::string> seen;
  for (const auto& column : file_columns) {
    if (!seen.insert(column).second) {
      throw bad_request("There are duplicate columns in CSV file: " + column, "storage.tables.duplicateColumns");
    }
  }
  std::vector<std::string> missing;
  for (const auto& column : table.columns) {
    if (!contains(file_columns, column)) missing.push_back(column);
  }
  if (!missing.empty()) {
    throw bad_request("Some columns are missing in the csv file. Missing columns: " + join(missing, ",") +
                          ". Expected columns: " + join(table.columns, ",") +
                          ". Please check if the expected delimiter \"" + std::string(1, delimiter) +
                          "\" is used in the csv file.",
                      "csvImport.columnsNotMatch");
  }
  for (const auto& column : file_columns) {
    if (contains(table.columns, column)) continue;
    validate_column_name(column);
    add_column(conn, table, column);
  }

  const std::string target = quote_identifier(table.data_table());
  LoadResult result;
  if (!incremental) {
    conn.exec("DELETE FROM " + target);
    result.changed = conn.changes() > 0;
    table.data_size_bytes = 0;
  }

  std::string sql = "INSERT INTO " + target + " (" + column_list(file_columns) + ", \"_timestamp\") VALUES (";
  for (std::size_t i = 0; i < file_columns.size(); ++i) sql += "?, ";
  sql += "?)";
  if (!table.primary_key.empty()) {
    // Upsert: later duplicates win; an unchanged row keeps its _timestamp.
    std::vector<std::string> sets, differs;
    for (const auto& column : file_columns) {
      auto q = quote_identifier(column);
      sets.push_back(q + " = excluded." + q);
      differs.push_back(q + " IS NOT excluded." + q);
    }
    sql += " ON CONFLICT(" + column_list(table.primary_key) + ") DO UPDATE SET " + join(sets, ", ") +
           ", \"_timestamp\" = excluded.\"_timestamp\" WHERE " + join(differs, " OR ");
  }
  auto insert = conn.prepare(sql);
  std::vector<std::string> row;
  const int timestamp_index = static_cast<int>(file_columns.size()) + 1;
  while (reader.next(row)) {
    if (row.size() != file_columns.size()) {
      throw bad_request("Invalid CSV: row " + std::to_string(reader.row_number()) + " has " +
                            std::to_string(row.size()) + " values, the header has " +
                            std::to_string(file_columns.size()) + " columns.",
                        "invalidCsv");
    }
    std::int64_t bytes = 0;
    for (std::size_t i = 0; i < row.size(); ++i) {
      insert.bind(static_cast<int>(i) + 1, row[i]);
      bytes += static_cast<std::int64_t>(row[i].size());
    }
    insert.bind(timestamp_index, now);
    insert.run();
    if (conn.changes() > 0) {
      result.changed = true;
      table.data_size_bytes += bytes;
    }
    insert.reset();
    ++result.rows_in_file;
  }
  refresh_counts(conn, table);
  table.last_import_date = now;
  if (result.changed) table.last_change_date = now;
  result.imported_columns = file_columns;
  return result;
}

void add_primary_key(db::Connection& conn, TableMeta& table, const std::vector<std::string>& columns) {
  if (!table.primary_key.empty()) {
    throw bad_request("Primary key already exists for table " + table.id + ". Remove it first.",
                      "storage.tables.primaryKeyAlreadyExists");
  }
  if (columns.empty()) throw bad_request("Primary key columns must be given.", "storage.tables.validation.noColumns");
  for (const auto& column : columns) {
    if (!contains(table.columns, column)) {
      throw bad_request("Primary key column \"" + column + "\" does not exist in table " + table.id + ".",
                        "storage.tables.validation.invalidPrimaryKeyColumns");
    }
  }
  auto duplicates = conn.prepare("SELECT 1 FROM " + quote_identifier(table.data_table()) + " GROUP BY " +
                                 column_list(columns) + " HAVING COUNT(*) > 1 LIMIT 1");
  if (duplicates.step()) {
    throw bad_request("Table " + table.id + " contains duplicate values in the primary key columns " +
                          join(columns, ",") + ".",
                      "storage.tables.primaryKeyDuplicateValues");
  }
  table.primary_key = columns;
  conn.exec("CREATE UNIQUE INDEX " + quote_identifier(pk_index_name(table)) + " ON " +
            quote_identifier(table.data_table()) + "(" + column_list(columns) + ")");
}

void remove_primary_key(db::Connection& conn, TableMeta& table) {
  conn.exec("DROP INDEX IF EXISTS " + quote_identifier(pk_index_name(table)));
  table.primary_key.clear();
}

namespace {

// The WHERE clause (" WHERE 1 AND …") of the rows `query` matches, with its bound values: the
// export's filters, which data preview and row deletion share.
struct RowFilter {
  std::string sql;
  std::vector<std::string> binds;
};

RowFilter row_filter(const TableMeta& table, const ExportQuery& query) {
  RowFilter out{" WHERE 1", {}};
  if (query.changed_since) out.sql += " AND \"_timestamp\" >= " + std::to_string(*query.changed_since);
  if (query.changed_until) out.sql += " AND \"_timestamp\" < " + std::to_string(*query.changed_until);
  for (const auto& filter : query.filters) {
    if (!contains(table.columns, filter.column)) {
      throw bad_request("Cannot filter by column \"" + filter.column + "\": it does not exist in table " + table.id +
                            ".",
                        "storage.tables.columnNotFound");
    }
    std::string dt = filter.data_type;
    std::transform(dt.begin(), dt.end(), dt.begin(), ::toupper);
    bool numeric = dt == "INTEGER" || dt == "DOUBLE" || dt == "NUMERIC" || dt == "REAL" || dt == "BIGINT";
    std::string lhs = numeric ? "CAST(" + quote_identifier(filter.column) + " AS REAL)" : quote_identifier(filter.column);
    std::string rhs = numeric ? "CAST(? AS REAL)" : "?";
    static const std::pair<const char*, const char*> kOperators[] = {
        {"eq", "="}, {"ne", "<>"}, {"gt", ">"}, {"ge", ">="}, {"lt", "<"}, {"le", "<="}};
    const char* op = nullptr;
    for (auto [name, symbol] : kOperators) {
      if (filter.op == name) op = symbol;
    }
    if (!op) {
      throw bad_request("Invalid where operator \"" + filter.op + "\": use eq, ne, gt, ge, lt or le.",
                        "storage.tables.validation.invalidWhereOperator");
    }
    if (filter.values.empty()) {
      throw bad_request("whereValues for column \"" + filter.column + "\" must not be empty.",
                        "storage.tables.validation.invalidWhereValues");
    }
    std::vector<std::string> terms;
    for (const auto& value : filter.values) {
      terms.push_back(lhs + " " + op + " " + rhs);
      out.binds.push_back(value);
    }
    // eq: any value matches; ne: none of the values matches.
    out.sql += " AND (" + join(terms, filter.op == "ne" ? " AND " : " OR ") + ")";
  }
  return out;
}

// rowsCount and dataSizeBytes (the bytes of the values stored) after rows or a column went.
void recount(db::Connection& conn, TableMeta& table) {
  refresh_counts(conn, table);
  std::vector<std::string> lengths;
  for (const auto& column : table.columns) lengths.push_back("LENGTH(CAST(" + quote_identifier(column) + " AS BLOB))");
  auto s = conn.prepare("SELECT COALESCE(SUM(" + join(lengths, " + ") + "), 0) FROM " +
                        quote_identifier(table.data_table()));
  s.step();
  table.data_size_bytes = s.integer(0);
}

}  // namespace

std::int64_t export_rows(db::Connection& conn, const TableMeta& table, const ExportQuery& query, const RowSink& sink) {
  const auto& columns = query.columns.empty() ? table.columns : query.columns;
  for (const auto& column : columns) {
    if (!contains(table.columns, column)) {
      throw bad_request("Cannot export column \"" + column + "\": it does not exist in table " + table.id + ".",
                        "storage.tables.columnNotFound");
    }
  }
  auto filter = row_filter(table, query);
  std::string sql = "SELECT " + column_list(columns) + " FROM " + quote_identifier(table.data_table()) + filter.sql;
  sql += " ORDER BY rowid";
  if (query.limit) sql += " LIMIT " + std::to_string(*query.limit);
  auto select = conn.prepare(sql);
  for (std::size_t i = 0; i < filter.binds.size(); ++i) select.bind(static_cast<int>(i) + 1, filter.binds[i]);
  std::vector<std::string_view> values(columns.size());
  std::int64_t count = 0;
  while (select.step()) {
    for (std::size_t i = 0; i < columns.size(); ++i) values[i] = select.text_view(static_cast<int>(i));
    sink(values);
    ++count;
  }
  return count;
}

std::int64_t delete_rows(db::Connection& conn, TableMeta& table, const ExportQuery& filter, std::int64_t now) {
  auto where = row_filter(table, filter);
  auto remove = conn.prepare("DELETE FROM " + quote_identifier(table.data_table()) + where.sql);
  for (std::size_t i = 0; i < where.binds.size(); ++i) remove.bind(static_cast<int>(i) + 1, where.binds[i]);
  remove.run();
  const std::int64_t deleted = conn.changes();
  recount(conn, table);
  if (deleted > 0) table.last_change_date = now;
  return deleted;
}

void add_column(db::Connection& conn, TableMeta& table, const std::string& column) {
  conn.exec("ALTER TABLE " + quote_identifier(table.data_table()) + " ADD COLUMN " + quote_identifier(column) +
            " TEXT NOT NULL DEFAULT ''");
  table.columns.push_back(column);
}

void remove_column(db::Connection& conn, TableMeta& table, const std::string& column) {
  conn.exec("ALTER TABLE " + quote_identifier(table.data_table()) + " DROP COLUMN " + quote_identifier(column));
  table.columns.erase(std::find(table.columns.begin(), table.columns.end(), column));
  recount(conn, table);
}

}  // namespace kbc::emulator::data
