// `check`: each configured source table against its destination table: row counts, columns,
// primary key, and for full-load tables a content digest of both exports (order-independent,
// computed while streaming). The exit code says match (0), differ (5) or not checked (6).
#include <algorithm>
#include <iostream>
#include <set>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "commands/connect.hpp"
#include "commands/export_digest.hpp"
#include "kbc_storage_extract/commands.hpp"
#include "kbc_storage_extract/extract/plan.hpp"
#include "kbc_storage_extract/extract/token_rules.hpp"
#include "kbc_storage_extract/redact.hpp"

namespace kbc::commands {

namespace {

struct TableCheck {
  enum class Status { match, differ, unchecked };
  std::string name;
  std::string source_id;
  std::string destination_id;
  Status status = Status::match;
  std::optional<std::uint64_t> source_rows, destination_rows;
  std::optional<std::string> source_digest, destination_digest;
  std::vector<std::string> differences;
  std::optional<Error> error;
};

const char* to_string(TableCheck::Status status) {
  switch (status) {
    case TableCheck::Status::match: return "match";
    case TableCheck::Status::differ: return "differ";
    case TableCheck::Status::unchecked: return "unchecked";
  }
  return "unchecked";
}

std::string key_text(const std::vector<std::string>& columns) {
  if (columns.empty()) return "(none)";
  std::string text;
  for (const auto& column : columns) text += (text.empty() ? "" : ", ") + column;
  return text;
}

std::set<std::string> as_set(const std::vector<std::string>& columns) { return {columns.begin(), columns.end()}; }

std::vector<std::string> missing_from(const std::vector<std::string>& columns, const std::set<std::string>& other) {
  std::vector<std::string> out;
  for (const auto& column : columns)
    if (!other.count(column)) out.push_back(column);
  return out;
}

// The key the config asks the destination to have: the source's for fullSync, the configured
// one, or none (then the key is not compared: a run keeps whatever key the table has).
std::optional<std::vector<std::string>> expected_key(const TableConfig& config, const storage_api::TableDetail& source) {
  if (config.full_sync) return source.primary_key;
  if (!config.primary_key.empty()) return config.primary_key;
  return std::nullopt;
}

void compare(const TableConfig& config, const storage_api::TableDetail& source, const storage_api::TableDetail& destination,
             storage_api::StorageClient& source_client, storage_api::StorageClient& destination_client, TableCheck& check) {
  check.source_rows = source.rows_count;
  check.destination_rows = destination.rows_count;
  const auto only_source = missing_from(source.columns, as_set(destination.columns));
  const auto only_destination = missing_from(destination.columns, as_set(source.columns));
  if (!only_source.empty()) check.differences.push_back("columns only in the source: " + key_text(only_source));
  if (!only_destination.empty()) check.differences.push_back("columns only in the destination: " + key_text(only_destination));
  if (auto key = expected_key(config, source); key && as_set(*key) != as_set(destination.primary_key))
    check.differences.push_back("primary key " + key_text(destination.primary_key) + ", expected " + key_text(*key));
  // Only a full load of every row makes the destination hold exactly the source's rows.
  const bool whole_copy = !config.incremental && !config.changed_since && !config.changed_since_auto;
  if (!whole_copy) return;
  if (source.rows_count != destination.rows_count)
    check.differences.push_back(fmt::format("rows {} in the source, {} in the destination", source.rows_count, destination.rows_count));
  if (!only_source.empty() || !only_destination.empty()) return;  // no common column order to digest by
  auto source_digest = export_digest(source_client, source.id, source.columns);
  if (!source_digest) {
    check.error = source_digest.error();
    return;
  }
  auto destination_digest = export_digest(destination_client, destination.id, source.columns);
  if (!destination_digest) {
    check.error = destination_digest.error();
    return;
  }
  check.source_digest = source_digest->hex();
  check.destination_digest = destination_digest->hex();
  if (!(*source_digest == *destination_digest))
    check.differences.push_back(fmt::format("content differs: digest {} ({} rows exported) in the source, {} ({} rows) in the destination",
                                            check.source_digest->substr(0, 12), source_digest->rows,
                                            check.destination_digest->substr(0, 12), destination_digest->rows));
}

TableCheck check_table(const TableConfig& config, const std::string& source_bucket, const std::string& destination_bucket,
                       storage_api::StorageClient& source, storage_api::StorageClient& destination) {
  TableCheck check;
  check.name = config.name;
  check.source_id = source_bucket + "." + config.name;
  check.destination_id = destination_bucket + "." + (config.destination.empty() ? config.name : config.destination);
  auto source_table = source.get_table(check.source_id);
  if (!source_table) {
    check.error = source_table.error();
  } else if (auto destination_table = destination.get_table(check.destination_id); !destination_table) {
    if (destination_table.error().kind == ErrorKind::not_found) check.differences.push_back("the destination table does not exist");
    else check.error = destination_table.error();
  } else {
    compare(config, *source_table, *destination_table, source, destination, check);
  }
  check.status = check.error ? TableCheck::Status::unchecked
                             : (check.differences.empty() ? TableCheck::Status::match : TableCheck::Status::differ);
  return check;
}

nlohmann::json to_json(const TableCheck& check) {
  const auto optional = [](const auto& value) { return value ? nlohmann::json(*value) : nlohmann::json(); };
  nlohmann::json out = {{"name", check.name},
                        {"sourceTableId", check.source_id},
                        {"destinationTableId", check.destination_id},
                        {"status", to_string(check.status)},
                        {"sourceRows", optional(check.source_rows)},
                        {"destinationRows", optional(check.destination_rows)},
                        {"sourceDigest", optional(check.source_digest)},
                        {"destinationDigest", optional(check.destination_digest)},
                        {"differences", check.differences},
                        {"error", nullptr}};
  if (check.error) out["error"] = {{"kind", kbc::to_string(check.error->kind)}, {"message", check.error->message}};
  return out;
}

}  // namespace

ExitCode check(const Config& config, const CheckOptions& options) {
  auto selected = extract::select_tables(config, options.tables);
  if (!selected) return fail("check", selected.error());
  auto source_token = token_of(config.source);
  if (!source_token) return fail("check", source_token.error());
  auto destination_token = token_of(config.destination);
  if (!destination_token) return fail("check", destination_token.error());
  http::Client http;
  auto source = storage_client(config.source.url, *source_token, http);
  auto destination = storage_client(config.destination.url, *destination_token, http);
  auto info = source.verify_token();
  if (!info) return fail("check", info.error());
  const auto verdict = extract::check_source_token(*info, std::chrono::system_clock::now());
  if (!verdict.usable()) return fail("check", verdict.refusal);

  std::vector<TableCheck> checks;
  for (const auto& table : *selected) {
    if (!table.selected) continue;
    checks.push_back(check_table(table.config, verdict.bucket_id, config.destination_bucket, source, destination));
    const auto& done = checks.back();
    if (done.error) spdlog::error("check {}: {}", done.name, done.error->describe());
  }
  const auto count = [&](TableCheck::Status status) {
    return std::count_if(checks.begin(), checks.end(), [&](const auto& c) { return c.status == status; });
  };
  const auto matched = count(TableCheck::Status::match), differ = count(TableCheck::Status::differ),
             unchecked = count(TableCheck::Status::unchecked);
  if (options.json) {
    nlohmann::json tables = nlohmann::json::array();
    for (const auto& c : checks) tables.push_back(to_json(c));
    std::cout << redact(nlohmann::json{{"tables", tables}, {"match", matched}, {"differ", differ}, {"unchecked", unchecked}}.dump(2))
              << '\n';
  } else {
    std::string text;
    for (const auto& c : checks) {
      text += fmt::format("{} ({} -> {}): {}", c.name, c.source_id, c.destination_id, to_string(c.status));
      if (c.status == TableCheck::Status::match)
        text += fmt::format(" ({} rows{})", c.source_rows.value_or(0), c.source_digest ? ", same content" : "");
      text += "\n";
      for (const auto& difference : c.differences) text += "  - " + difference + "\n";
      if (c.error) text += "  - could not check: " + c.error->describe() + "\n";
    }
    text += fmt::format("{} match, {} differ, {} could not be checked\n", matched, differ, unchecked);
    std::cout << redact(text) << std::flush;
  }
  if (differ > 0) return ExitCode::check_differs;
  if (unchecked > 0) return ExitCode::check_incomplete;
  return ExitCode::success;
}

}  // namespace kbc::commands
