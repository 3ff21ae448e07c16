#include "config/tables.hpp"

#include <map>

#include "config/export_filters.hpp"
#include "config/keboola_names.hpp"

namespace kbc::config {

namespace {

// A time as changedSince takes it ("-2 days", ISO 8601); `key` names it in messages.
std::optional<ChangedSince> read_time(const ObjectReader& reader, const char* key) {
  const std::string path = reader.path_of(key);
  const auto text = reader.string(key);
  if (!text) return std::nullopt;
  if (auto parsed = ChangedSince::parse(*text)) return parsed;
  std::string message = "cannot read " + quote(*text) + " as a time";
  if (text->find_first_not_of(" \t") != std::string::npos && (*text)[text->find_first_not_of(" \t")] == '+')
    message += "; " + std::string(key) + " must be in the past: write \"-" + text->substr(text->find('+') + 1) + "\"";
  const bool may_be_auto = std::string_view(key) == "changedSince";
  message += std::string("; expected ") + (may_be_auto ? "\"auto\" (from where the last run ended), " : "") +
             "a relative time like \"-2 days\", \"-3 hours\", \"-15 minutes\" (also seconds, weeks, "
             "\"2 days ago\") or an ISO 8601 date/time like \"2026-11-20\" or \"2026-11-20T10:00:00Z\" (years 1900 to 2200)";
  reader.issues().error(path, message);
  return std::nullopt;
}

std::optional<ChangedSinceSetting> read_changed_since(const ObjectReader& reader, bool allow_null) {
  const json* value = reader.find("changedSince");
  if (value == nullptr) return std::nullopt;
  if (value->is_null() && allow_null) return ChangedSinceSetting{};  // explicit "copy everything"
  if (value->is_string() && value->get_ref<const std::string&>() == "auto") return ChangedSinceSetting{std::nullopt, true};
  auto since = read_time(reader, "changedSince");
  if (!since) return std::nullopt;
  return ChangedSinceSetting{since, false};
}

std::optional<ChangedSince> read_initial_changed_since(const ObjectReader& reader) {
  if (reader.find("initialChangedSince") == nullptr) return std::nullopt;
  return read_time(reader, "initialChangedSince");
}

std::optional<std::vector<std::string>> read_primary_key(const ObjectReader& reader) {
  const json* value = reader.find("primaryKey");
  if (value == nullptr) return std::nullopt;
  const std::string path = reader.path_of("primaryKey");
  Issues& issues = reader.issues();
  if (value->is_string()) {
    issues.error(path, "expected an array of column names, got a string (write [" + value->dump() + "])");
    return std::nullopt;
  }
  if (!value->is_array()) {
    issues.error(path, "expected an array of column names, got " + describe_type(*value));
    return std::nullopt;
  }
  std::vector<std::string> columns;
  bool valid = true;
  for (std::size_t i = 0; i < value->size(); ++i) {
    const json& column = (*value)[i];
    const std::string column_path = child_path(path, i);
    if (!column.is_string()) {
      issues.error(column_path, "expected a column name (a string), got " + describe_type(column));
      valid = false;
      continue;
    }
    const auto& name = column.get_ref<const std::string&>();
    if (auto problem = column_name_problem(name)) {
      issues.error(column_path, *problem);
      valid = false;
    } else if (std::find(columns.begin(), columns.end(), name) != columns.end()) {
      issues.error(column_path, "column " + quote(name) + " is listed twice");
      valid = false;
    } else {
      columns.push_back(name);
    }
  }
  if (!valid) return std::nullopt;
  return columns;
}

// changedUntil, columns, where* and exclude: what the export is asked for beyond the whole table.
void read_filters(const ObjectReader& reader, const TableSettings& own, const TableSettings& defaults, TableConfig& table) {
  Issues& issues = reader.issues();
  table.changed_until = own.changed_until ? own.changed_until : defaults.changed_until;
  if (table.changed_until && table.changed_since_auto)
    issues.error(own.changed_until ? reader.path_of("changedUntil") : reader.path(),
                 "\"changedSince\": \"auto\" ends each window itself (at the source's current time); remove "
                 "changedUntil, or set changedSince to a time");
  // Both relative or both absolute: their order is known now, whatever the run's time.
  if (table.changed_until && table.changed_since && table.changed_until->relative() == table.changed_since->relative()) {
    const auto now = ChangedSince::Clock::now();
    if (table.changed_until->resolve(now) <= table.changed_since->resolve(now))
      issues.error(own.changed_until ? reader.path_of("changedUntil") : reader.path(),
                   "changedUntil " + quote(table.changed_until->text()) + " is not after changedSince " +
                       quote(table.changed_since->text()) + ": no row could be exported");
  }
  if (auto columns = read_columns(reader)) table.columns = std::move(*columns);
  table.where = read_where(reader);
  table.exclude = read_exclude(reader, table.is_glob);
  // The destination key must come with the data: a key column outside the subset cannot be.
  if (!table.columns.empty())
    for (std::size_t i = 0; i < table.primary_key.size(); ++i)
      if (std::find(table.columns.begin(), table.columns.end(), table.primary_key[i]) == table.columns.end())
        issues.error(own.primary_key ? child_path(reader.path_of("primaryKey"), i) : reader.path_of("columns"),
                     "primary key column " + quote(table.primary_key[i]) +
                         " is not among the exported \"columns\"; add it to \"columns\" or leave it out of primaryKey");
}

TableSettings read_settings(const ObjectReader& reader, bool allow_null_changed_since) {
  TableSettings settings;
  settings.enabled = reader.boolean("enabled");
  settings.changed_since = read_changed_since(reader, allow_null_changed_since);
  settings.initial_changed_since = read_initial_changed_since(reader);
  if (reader.find("changedUntil") != nullptr) settings.changed_until = read_time(reader, "changedUntil");
  settings.incremental = reader.boolean("incremental");
  settings.primary_key = read_primary_key(reader);
  settings.full_sync = reader.boolean("fullSync");
  settings.copy_metadata = reader.boolean("copyMetadata");
  return settings;
}

// nullopt only when the entry is not an object; otherwise the table as far as it is valid.
std::optional<TableConfig> read_table(const json& value, const std::string& path, const TableSettings& defaults,
                                      Issues& issues) {
  if (!expect_object(value, path, "a table object like {\"name\": \"orders\"}", issues)) return std::nullopt;
  ObjectReader reader(value, path, issues);
  reader.reject_unknown_keys(
      {"name", "destination", "enabled", "changedSince", "initialChangedSince", "changedUntil", "incremental",
       "primaryKey", "fullSync", "copyMetadata", "columns", "whereColumn", "whereValues", "whereOperator", "exclude"});

  TableConfig table;
  table.json_path = path;
  if (reader.require("name", "the source table's name in the token's bucket, e.g. \"orders\"")) {
    if (auto name = reader.string("name")) {
      table.is_glob = is_glob(*name);
      if (auto problem = table.is_glob ? table_glob_problem(*name) : table_name_problem(*name))
        issues.error(reader.path_of("name"), *problem);
      table.name = *name;
    }
  }
  table.destination = table.name;
  if (table.is_glob && reader.has("destination"))
    issues.error(reader.path_of("destination"),
                 "a glob \"name\" copies each table it matches under its own name; remove \"destination\", or give "
                 "the table an entry of its own with its \"destination\"");
  else if (auto destination = reader.string("destination")) {
    if (auto problem = table_name_problem(*destination)) issues.error(reader.path_of("destination"), *problem);
    table.destination = *destination;
  }
  const TableSettings own = read_settings(reader, true);
  table.enabled = own.enabled.value_or(defaults.enabled.value_or(true));
  table.full_sync = own.full_sync.value_or(defaults.full_sync.value_or(false));
  table.copy_metadata = own.copy_metadata.value_or(defaults.copy_metadata.value_or(false));
  table.incremental = own.incremental.value_or(defaults.incremental.value_or(false));
  if (table.full_sync) {
    // fullSync means a full load by the source's key: the table's own contrary settings are
    // mistakes, the defaults' give way.
    if (own.incremental.value_or(false))
      issues.error(reader.path_of("incremental"), "\"fullSync\": true replaces the destination's content; it cannot be "
                                                  "incremental: remove \"incremental\" or \"fullSync\"");
    if (own.primary_key && !own.primary_key->empty())
      issues.error(reader.path_of("primaryKey"), "\"fullSync\": true takes the source table's primary key; remove "
                                                 "\"primaryKey\", or \"fullSync\" to set a key of your own");
    table.incremental = false;
  }
  const auto changed_since = own.changed_since.value_or(defaults.changed_since.value_or(ChangedSinceSetting{}));
  table.changed_since = changed_since.since;
  table.changed_since_auto = changed_since.automatic;
  table.initial_changed_since = own.initial_changed_since ? own.initial_changed_since : defaults.initial_changed_since;
  if (table.initial_changed_since && !table.changed_since_auto && own.initial_changed_since)
    issues.error(reader.path_of("initialChangedSince"),
                 "initialChangedSince is where the first \"changedSince\": \"auto\" run starts; set "
                 "\"changedSince\": \"auto\" too, or remove it");
  if (table.enabled && table.changed_since_auto && !table.incremental)
    issues.error(own.changed_since ? reader.path_of("changedSince") : path,
                 "\"changedSince\": \"auto\" copies only the rows changed since the last run, and a full load "
                 "(\"incremental\": false) would replace the destination with only those; set \"incremental\": true");
  table.primary_key = own.primary_key.value_or(defaults.primary_key.value_or(std::vector<std::string>{}));
  if (table.full_sync) table.primary_key.clear();  // the plan takes the source's
  read_filters(reader, own, defaults, table);
  // Valid (the UI allows it) but rarely meant: a full load keeps only what the export returns.
  if (table.enabled && !table.incremental && table.changed_since)
    issues.warn(path, "a full load (\"incremental\": false) with changedSince " + quote(table.changed_since->text()) +
                          " replaces the destination table with only the rows changed since then; set "
                          "\"incremental\": true to merge the changes, or remove changedSince to copy every row");
  return table;  // possibly partial: the caller uses it only when the whole file is valid
}

// Two entries may not read the same source table or write the same destination table.
void check_unique(const std::vector<TableConfig>& tables, Issues& issues) {
  std::map<std::string, std::string> names, destinations;  // name -> json path of its first use
  for (const auto& table : tables) {
    if (table.name.empty()) continue;  // its missing name is already reported
    if (auto [it, fresh] = names.try_emplace(table.name, table.json_path); !fresh) {
      issues.error(child_path(table.json_path, "name"),
                   "duplicate table name " + quote(table.name) + " (already at " + it->second + ")");
      continue;
    }
    if (table.is_glob) continue;  // its tables' destinations are known only at run time
    if (auto [it, fresh] = destinations.try_emplace(table.destination, table.json_path); !fresh) {
      issues.error(child_path(table.json_path, table.destination == table.name ? "name" : "destination"),
                   "destination table " + quote(table.destination) + " is already written by " + it->second +
                       "; give one of them a different \"destination\"");
    }
  }
}

}  // namespace

TableSettings read_defaults(const json* value, Issues& issues) {
  if (value == nullptr) return {};
  if (!expect_object(*value, "/defaults", "an object of per-table settings", issues)) return {};
  ObjectReader reader(*value, "/defaults", issues);
  for (const char* per_table_only : {"name", "destination", "columns", "whereColumn", "whereValues", "whereOperator", "exclude"})
    if (reader.has(per_table_only))
      issues.error(reader.path_of(per_table_only),
                   std::string("\"") + per_table_only + "\" cannot have a default; set it in each table");
  // name/destination are reported above, so they count as known here.
  reader.reject_unknown_keys(
      {"changedSince", "initialChangedSince", "changedUntil", "incremental", "primaryKey", "enabled", "fullSync",
       "copyMetadata", "name", "destination", "columns", "whereColumn", "whereValues", "whereOperator", "exclude"});
  return read_settings(reader, false);
}

std::vector<TableConfig> read_tables(const json& value, const TableSettings& defaults, Issues& issues) {
  if (!value.is_array()) {
    issues.error("/tables", "expected an array of tables, got " + describe_type(value));
    return {};
  }
  if (value.empty()) {
    issues.error("/tables", "no tables configured; add at least one, e.g. [{\"name\": \"orders\"}]");
    return {};
  }
  std::vector<TableConfig> tables;
  for (std::size_t i = 0; i < value.size(); ++i)
    if (auto table = read_table(value[i], child_path("/tables", i), defaults, issues)) tables.push_back(std::move(*table));
  check_unique(tables, issues);
  return tables;
}

}  // namespace kbc::config
