#include "api/table_changes.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>
#include <vector>

#include "api/api_error.hpp"

namespace kbc::emulator {

namespace {

// ASCII letters of U+00C0..U+00FF ("" for × and ÷, not letters).
constexpr std::array<const char*, 64> kLatin1 = {
    "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I",
    "D", "N", "O", "O", "O", "O", "O",  "",  "O", "U", "U", "U", "U", "Y", "TH", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y"};
// ASCII letters of U+0100..U+017F, one each; '?' marks the ligatures Ĳ ĳ Œ œ.
constexpr std::string_view kLatinExtendedA =
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIi??JjKkkLlLlLlLlLlNnNnNnnNnOoOoOo??RrRrRrSsSsSsSsTtTtTtUuUuUuUu"
    "UuUuWwYyYZzZzZzs";
static_assert(kLatinExtendedA.size() == 128);

std::string ascii_of(char32_t code) {
  if (code < 0x80) return std::string(1, static_cast<char>(code));
  if (code >= 0xC0 && code <= 0xFF) return kLatin1[code - 0xC0];
  if (code >= 0x100 && code <= 0x17F) {
    switch (code) {
      case 0x132: return "IJ";
      case 0x133: return "ij";
      case 0x152: return "OE";
      case 0x153: return "oe";
      default: return std::string(1, kLatinExtendedA[code - 0x100]);
    }
  }
  return "";  // not a Latin letter: a separator
}

// The code points of UTF-8 `text`; a byte that does not decode counts as a separator.
std::vector<char32_t> code_points(const std::string& text) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < text.size();) {
    auto byte = static_cast<unsigned char>(text[i]);
    int length = byte < 0x80 ? 1 : (byte >> 5) == 0x6 ? 2 : (byte >> 4) == 0xE ? 3 : (byte >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || i + length > text.size()) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    char32_t code = length == 1 ? byte : byte & (0x7F >> length);
    for (int k = 1; k < length; ++k) code = (code << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    out.push_back(code);
    i += length;
  }
  return out;
}

bool same_ignoring_case(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

TableMeta require_table_meta(Services& services, std::int64_t project_id, const std::string& table_id) {
  auto table = services.store.find_table(project_id, table_id);
  if (!table) throw not_found("Table " + table_id + " not found", "storage.tables.notFound");
  return *table;
}

}  // namespace

std::string webalize_column_name(const std::string& name) {
  std::string out;
  bool separator = false;
  for (char32_t code : code_points(name)) {
    const auto ascii = ascii_of(code);
    if (ascii.empty()) separator = true;
    for (char c : ascii) {
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
        if (separator) out += '_';
        separator = false;
        out += c;
      } else {
        separator = true;
      }
    }
  }
  auto first = out.find_first_not_of('_');
  if (first == std::string::npos) return "";
  return out.substr(first, out.find_last_not_of('_') - first + 1);
}

void check_column_addable(const TableMeta& table, const std::string& column) {
  if (column.empty() || column.size() > 64) {
    throw bad_request("Invalid column name \"" + column +
                          "\": it must have 1 to 64 letters, digits or underscores once webalized.",
                      "storage.tables.invalidColumnName");
  }
  for (const auto& existing : table.columns) {
    if (same_ignoring_case(existing, column)) {
      throw bad_request("Column \"" + column + "\" already exists in table " + table.id + ".",
                        "storage.tables.columnAlreadyExists");
    }
  }
}

void check_column_deletable(const TableMeta& table, const std::string& column) {
  if (std::find(table.columns.begin(), table.columns.end(), column) == table.columns.end()) {
    throw not_found("Column \"" + column + "\" not found in table " + table.id, "storage.columns.notFound");
  }
  if (std::find(table.primary_key.begin(), table.primary_key.end(), column) != table.primary_key.end()) {
    throw bad_request("Cannot delete column \"" + column + "\": it is in the primary key of table " + table.id +
                          ". Remove the primary key first.",
                      "storage.tables.cannotDeletePrimaryKeyColumn");
  }
  if (table.columns.size() == 1) {
    throw bad_request("Cannot delete column \"" + column + "\": it is the last column of table " + table.id + ".",
                      "storage.tables.cannotDeleteLastColumn");
  }
}

void add_table_column(Services& services, std::int64_t project_id, const std::string& table_id,
                      const std::string& column) {
  auto& rows = services.rows.connection();
  db::Transaction transaction(rows);  // the write lock: read the metadata under it
  auto table = require_table_meta(services, project_id, table_id);
  check_column_addable(table, column);
  data::add_column(rows, table, column);
  transaction.commit();
  services.store.update_table(table);
}

void delete_table_column(Services& services, std::int64_t project_id, const std::string& table_id,
                         const std::string& column) {
  auto& rows = services.rows.connection();
  db::Transaction transaction(rows);
  auto table = require_table_meta(services, project_id, table_id);
  check_column_deletable(table, column);
  data::remove_column(rows, table, column);
  transaction.commit();
  services.store.update_table(table);
  for (const auto& item : services.store.list_metadata(project_id, "column", table_id + "." + column)) {
    services.store.delete_metadata(project_id, item.id);
  }
}

std::int64_t delete_table_rows(Services& services, std::int64_t project_id, const std::string& table_id,
                               const data::ExportQuery& filter, std::int64_t now) {
  auto& rows = services.rows.connection();
  db::Transaction transaction(rows);
  auto table = require_table_meta(services, project_id, table_id);
  auto deleted = data::delete_rows(rows, table, filter, now);
  transaction.commit();
  services.store.update_table(table);
  return deleted;
}

}  // namespace kbc::emulator
