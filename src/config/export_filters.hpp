#pragma once
// The export filters of a table entry: "columns", "whereColumn"/"whereValues"/"whereOperator"
// (passed to export-async as they are) and the glob entry's "exclude".
#include <optional>
#include <string>
#include <vector>

#include "config/json_reader.hpp"

namespace kbc::config {

// "columns": a non-empty array of unique, valid column names; nullopt when absent or invalid.
std::optional<std::vector<std::string>> read_columns(const ObjectReader& reader);
// whereColumn + whereValues (+ whereOperator, "eq" by default): each needs the others it implies.
std::optional<TableConfig::Where> read_where(const ObjectReader& reader);
// "exclude": an array of table-name globs; only a glob "name" may have it.
std::vector<std::string> read_exclude(const ObjectReader& reader, bool name_is_glob);

// A table name that may hold glob characters (`*`, `?`): nullopt when valid.
std::optional<std::string> table_glob_problem(const std::string& pattern);
bool is_glob(const std::string& name);

}  // namespace kbc::config
