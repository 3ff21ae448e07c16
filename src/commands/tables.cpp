// `tables`: the source bucket's tables (the seed's searchable list), marked with what the
// config does with each.
#include <algorithm>
#include <iostream>

#include <nlohmann/json.hpp>

#include "commands/connect.hpp"
#include "kbc_storage_extract/commands.hpp"
#include <spdlog/spdlog.h>

#include "kbc_storage_extract/extract/expand_tables.hpp"
#include "kbc_storage_extract/extract/token_rules.hpp"
#include "kbc_storage_extract/redact.hpp"
#include "kbc_storage_extract/report/report.hpp"
#include "kbc_storage_extract/storage_api/parse.hpp"

namespace kbc::commands {

namespace {

// The API's "2026-11-25T09:00:00+0100" as every time the tool prints: UTC with Z (as given
// when it is no time the parser knows).
std::string utc_time(const std::string& api_time) {
  const auto parsed = storage_api::parse_api_time(api_time);
  return parsed ? storage_api::format_iso_utc(*parsed) : api_time;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string marker(const TableConfig* configured) {
  if (!configured) return "";
  std::string text = configured->enabled ? "configured" : "configured, disabled";
  if (!configured->glob.empty()) text += " (" + configured->glob + ")";
  return text;
}

}  // namespace

ExitCode tables(const Config& config_in, const TablesOptions& options) {
  auto token = token_of(config_in.source);
  if (!token) return fail("tables", token.error());
  http::Client http;
  auto source = storage_client(config_in.source.url, *token, http);
  auto info = source.verify_token();
  if (!info) return fail("tables", info.error());
  const auto verdict = extract::check_source_token(*info, std::chrono::system_clock::now());
  if (!verdict.usable()) return fail("tables", verdict.refusal);
  auto listed = source.list_tables(verdict.bucket_id);
  if (!listed) return fail("tables", listed.error());
  // Glob entries as the next run would expand them.
  std::vector<std::string> names;
  for (const auto& table : *listed) names.push_back(table.name);
  auto expansion = extract::expand_tables(config_in.tables, names, verdict.bucket_id);
  for (const auto& warning : expansion.warnings) spdlog::warn("{}: {}", config_in.file.string(), warning);
  Config config = config_in;
  config.tables = std::move(expansion.tables);

  const std::string search = lower(options.search);
  std::vector<storage_api::TableDetail> shown;
  for (auto& table : *listed)
    if (search.empty() || lower(table.name).find(search) != std::string::npos) shown.push_back(std::move(table));
  std::sort(shown.begin(), shown.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  std::vector<std::string> missing;  // configured but not in the source bucket
  for (const auto& table : config.tables) {
    const bool found = std::any_of(listed->begin(), listed->end(), [&](const auto& t) { return t.name == table.name; }) ||
                       std::any_of(shown.begin(), shown.end(), [&](const auto& t) { return t.name == table.name; });
    if (!found && (search.empty() || lower(table.name).find(search) != std::string::npos)) missing.push_back(table.name);
  }

  if (options.json) {
    // An array of tables; configured names absent from the bucket come last with inSource false.
    nlohmann::json out = nlohmann::json::array();
    for (const auto& table : shown) {
      const auto* configured = find_table(config, table.name);
      out.push_back({{"name", table.name},
                     {"id", table.id},
                     {"rowsCount", table.rows_count},
                     {"dataSizeBytes", table.data_size_bytes},
                     {"lastChangeDate", table.last_change_date.empty() ? nlohmann::json() : nlohmann::json(utc_time(table.last_change_date))},
                     {"inSource", true},
                     {"configured", configured != nullptr},
                     {"enabled", configured != nullptr && configured->enabled},
                     {"glob", configured && !configured->glob.empty() ? nlohmann::json(configured->glob) : nlohmann::json()}});
    }
    for (const auto& name : missing) {
      const auto* configured = find_table(config, name);
      out.push_back({{"name", name}, {"id", verdict.bucket_id + "." + name}, {"rowsCount", nullptr},
                     {"dataSizeBytes", nullptr}, {"lastChangeDate", nullptr}, {"inSource", false},
                     {"configured", true}, {"enabled", configured && configured->enabled}, {"glob", nullptr}});
    }
    std::cout << redact(out.dump(2)) << '\n';
    return ExitCode::success;
  }

  std::vector<std::vector<std::string>> rows{{"table", "rows", "CSV size", "last change", "config"}};
  for (const auto& table : shown)
    rows.push_back({table.name, std::to_string(table.rows_count), report::human_bytes(table.data_size_bytes),
                    table.last_change_date.empty() ? "-" : utc_time(table.last_change_date), marker(find_table(config, table.name))});
  std::vector<std::size_t> width(rows[0].size(), 0);
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  std::string text = fmt::format("Tables in {} ({} of {}{}):\n", verdict.bucket_id, shown.size(), listed->size(),
                                 search.empty() ? "" : ", matching \"" + options.search + "\"");
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i)
      line += (i == 1 || i == 2) ? fmt::format("{:>{}}  ", row[i], width[i]) : fmt::format("{:<{}}  ", row[i], width[i]);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    text += line + "\n";
  }
  for (const auto& name : missing) text += fmt::format("configured but not in {}: {}\n", verdict.bucket_id, name);
  std::cout << redact(text) << std::flush;
  return ExitCode::success;
}

}  // namespace kbc::commands
