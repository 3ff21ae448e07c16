#include "config/export_filters.hpp"

#include <algorithm>

#include "config/keboola_names.hpp"

namespace kbc::config {

namespace {

// An array of strings at `key`; each element checked by `problem`. nullopt when invalid.
template <typename Check>
std::optional<std::vector<std::string>> read_names(const ObjectReader& reader, const char* key, const char* what,
                                                   bool unique, Check problem) {
  const json* value = reader.find(key);
  if (value == nullptr) return std::nullopt;
  const std::string path = reader.path_of(key);
  Issues& issues = reader.issues();
  if (!value->is_array()) {
    std::string message = std::string("expected an array of ") + what + ", got " + describe_type(*value);
    if (value->is_string()) message += " (write [" + value->dump() + "])";
    issues.error(path, message);
    return std::nullopt;
  }
  if (value->empty()) {
    issues.error(path, std::string("must not be empty; list at least one of the ") + what + ", or remove the key");
    return std::nullopt;
  }
  std::vector<std::string> names;
  bool valid = true;
  for (std::size_t i = 0; i < value->size(); ++i) {
    const json& item = (*value)[i];
    const std::string item_path = child_path(path, i);
    if (!item.is_string()) {
      issues.error(item_path, "expected a string, got " + describe_type(item) +
                                  (item.is_number() ? " (write it in quotes: values are compared as text)" : ""));
      valid = false;
      continue;
    }
    const auto& name = item.get_ref<const std::string&>();
    if (auto why = problem(name)) {
      issues.error(item_path, *why);
      valid = false;
    } else if (unique && std::find(names.begin(), names.end(), name) != names.end()) {
      issues.error(item_path, quote(name) + " is listed twice");
      valid = false;
    } else {
      names.push_back(name);
    }
  }
  if (!valid) return std::nullopt;
  return names;
}

}  // namespace

bool is_glob(const std::string& name) { return name.find_first_of("*?") != std::string::npos; }

std::optional<std::string> table_glob_problem(const std::string& pattern) {
  std::string literal;
  for (const char c : pattern)
    if (c != '*' && c != '?') literal += c;
  if (literal.empty()) return pattern.size() <= 96 ? std::nullopt : std::optional<std::string>("a glob of at most 96 characters");
  if (table_name_problem(literal))
    return "invalid table name glob " + quote(pattern) +
           "; only letters, digits, '_', '-' and the glob characters * and ? are allowed, at most 96 characters";
  return std::nullopt;
}

std::optional<std::vector<std::string>> read_columns(const ObjectReader& reader) {
  return read_names(reader, "columns", "column names", true, [](const std::string& name) { return column_name_problem(name); });
}

std::optional<TableConfig::Where> read_where(const ObjectReader& reader) {
  const bool has_column = reader.has("whereColumn"), has_values = reader.has("whereValues"),
             has_operator = reader.has("whereOperator");
  if (!has_column && !has_values && !has_operator) return std::nullopt;
  Issues& issues = reader.issues();
  if (!has_column) {
    issues.error(reader.path_of(has_values ? "whereValues" : "whereOperator"),
                 "filters rows by \"whereColumn\", which is missing; add \"whereColumn\": \"COLUMN\"");
    return std::nullopt;
  }
  TableConfig::Where where;
  bool valid = true;
  if (auto column = reader.string("whereColumn")) {
    if (auto problem = column_name_problem(*column)) issues.error(reader.path_of("whereColumn"), *problem), valid = false;
    where.column = *column;
  } else {
    valid = false;
  }
  if (!has_values) {
    issues.error(reader.path_of("whereValues"),
                 "missing required key \"whereValues\" (with \"whereColumn\": the values to keep, e.g. [\"CZ\", \"DE\"])");
    valid = false;
  } else if (auto values = read_names(reader, "whereValues", "values (strings)", false,
                                      [](const std::string&) { return std::optional<std::string>(); })) {
    where.values = std::move(*values);
  } else {
    valid = false;
  }
  if (has_operator) {
    if (auto op = reader.string("whereOperator")) {
      if (*op != "eq" && *op != "ne") {
        issues.error(reader.path_of("whereOperator"), "unknown operator " + quote(*op) +
                                                          "; expected \"eq\" (rows whose whereColumn is one of whereValues) "
                                                          "or \"ne\" (rows whose whereColumn is none of them)");
        valid = false;
      }
      where.op = *op;
    } else {
      valid = false;
    }
  }
  if (!valid) return std::nullopt;
  return where;
}

std::vector<std::string> read_exclude(const ObjectReader& reader, bool name_is_glob) {
  if (!reader.has("exclude")) return {};
  if (!name_is_glob) {
    reader.issues().error(reader.path_of("exclude"),
                          "\"exclude\" leaves tables out of a glob \"name\" (like \"orders_*\" or \"*\"); this entry "
                          "names one table: remove \"exclude\"");
    return {};
  }
  auto patterns = read_names(reader, "exclude", "table names or globs", true, table_glob_problem);
  return patterns.value_or(std::vector<std::string>{});
}

}  // namespace kbc::config
