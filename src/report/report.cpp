#include "kbc_storage_extract/report/report.hpp"
#include "kbc_storage_extract/storage_api/parse.hpp"
#include "kbc_storage_extract/atomic_file.hpp"
#include "kbc_storage_extract/redact.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>

#include <unistd.h>

#include <fmt/format.h>

namespace kbc::report {

namespace {

nlohmann::json side_json(const ProjectSide& side) {
  return {{"url", side.url},
          {"projectId", side.project_id},
          {"projectName", side.project_name},
          {"region", side.region},
          {"bucketId", side.bucket_id}};
}

std::string outcome_text(const TableReport& table) {
  switch (table.status) {
    case TableReport::Status::ok: return "ok";
    case TableReport::Status::skipped: return "skipped (" + table.skip_reason + ")";
    case TableReport::Status::failed: return "FAILED: " + (table.error ? table.error->message : std::string("unknown"));
  }
  return "";
}

// "shard 2/4: 3 of 10 configured tables (orders, customers, events)", or that it holds none.
std::string shard_line(const ShardReport& shard) {
  if (shard.tables.empty())
    return fmt::format("shard {}/{}: none of the {} configured tables; nothing to copy\n", shard.index, shard.count,
                       shard.configured_tables);
  std::string names;
  for (const auto& name : shard.tables) names += (names.empty() ? "" : ", ") + name;
  return fmt::format("shard {}/{}: {} of {} configured tables ({})\n", shard.index, shard.count, shard.tables.size(),
                     shard.configured_tables, names);
}

}  // namespace

const char* to_string(TableReport::Status status) {
  switch (status) {
    case TableReport::Status::ok: return "ok";
    case TableReport::Status::failed: return "failed";
    case TableReport::Status::skipped: return "skipped";
  }
  return "failed";
}

ExitCode run_exit_code(const RunReport& report) {
  if (report.exit_code) return *report.exit_code;
  const auto count = [&](TableReport::Status status) {
    return std::count_if(report.tables.begin(), report.tables.end(), [&](const auto& t) { return t.status == status; });
  };
  const auto failed = count(TableReport::Status::failed);
  const auto ok = count(TableReport::Status::ok);
  if (failed == 0) return ExitCode::success;
  return ok > 0 ? ExitCode::partial_failure : ExitCode::runtime_failure;
}

std::string human_bytes(std::uint64_t bytes) {
  static const char* const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 4) {
    value /= 1024;
    ++unit;
  }
  return unit == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", value, units[unit]);
}

std::string render_summary(const RunReport& report) {
  struct Row { std::string table, action, rows, bytes, seconds, outcome; };
  // "gzip moved": what crossed between the file storages, not the CSV's size (the plan's).
  std::vector<Row> rows{{"table", "action", "rows", "gzip moved", "time", "outcome"}};
  std::uint64_t total_bytes = 0, total_rows = 0;
  double total_seconds = std::chrono::duration<double>(report.finished - report.started).count();
  for (const auto& table : report.tables) {
    const bool ran = table.status != TableReport::Status::skipped;
    rows.push_back({table.name + (table.destination_table_id.empty() ? "" : " -> " + table.destination_table_id),
                    table.action.empty() ? "-" : table.action,
                    table.rows ? std::to_string(*table.rows) : "-",
                    ran ? human_bytes(table.bytes) : "-",
                    ran ? fmt::format("{:.1f}s", table.seconds) : "-",
                    outcome_text(table)});
    total_bytes += table.bytes;
    total_rows += table.rows.value_or(0);
  }
  rows.push_back({"total", "", std::to_string(total_rows), human_bytes(total_bytes), fmt::format("{:.1f}s", total_seconds),
                  fmt::format("{} ok, {} failed, {} skipped",
                              std::count_if(report.tables.begin(), report.tables.end(), [](const auto& t) { return t.status == TableReport::Status::ok; }),
                              std::count_if(report.tables.begin(), report.tables.end(), [](const auto& t) { return t.status == TableReport::Status::failed; }),
                              std::count_if(report.tables.begin(), report.tables.end(), [](const auto& t) { return t.status == TableReport::Status::skipped; }))});
  std::size_t width[5] = {};
  std::string out = report.shard ? shard_line(*report.shard) : std::string();
  for (const auto& row : rows) {
    width[0] = std::max(width[0], row.table.size());
    width[1] = std::max(width[1], row.action.size());
    width[2] = std::max(width[2], row.rows.size());
    width[3] = std::max(width[3], row.bytes.size());
    width[4] = std::max(width[4], row.seconds.size());
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    if (i + 1 == rows.size()) out += std::string(width[0] + width[1] + width[2] + width[3] + width[4] + 8 + 10, '-') + "\n";
    out += fmt::format("{:<{}}  {:<{}}  {:>{}}  {:>{}}  {:>{}}  {}\n", row.table, width[0], row.action, width[1], row.rows,
                       width[2], row.bytes, width[3], row.seconds, width[4], row.outcome);
  }
  // Warnings after the table, one line each, so a copy that landed differently than asked shows.
  for (const auto& table : report.tables)
    for (const auto& warning : table.warnings) out += fmt::format("warning: {}: {}\n", table.name, warning);
  return out;
}

std::string names_text(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text.empty() ? "(none)" : text;
}

namespace {

// What the import would do to an existing destination table, one line per change.
std::vector<std::string> change_notes(const TableReport& table) {
  std::vector<std::string> notes;
  if (!table.import_changes) return notes;
  const auto& changes = *table.import_changes;
  if (!changes.added_columns.empty())
    notes.push_back(fmt::format("{}: the import adds column{} {} to {}", table.name, changes.added_columns.size() == 1 ? "" : "s",
                                names_text(changes.added_columns), table.destination_table_id));
  if (changes.primary_key)
    notes.push_back(fmt::format("{}: the primary key of {} changes from {} to {}", table.name, table.destination_table_id,
                                names_text(changes.primary_key->from), names_text(changes.primary_key->to)));
  return notes;
}

nlohmann::json changes_json(const ImportChanges& changes) {
  nlohmann::json key;
  if (changes.primary_key) key = {{"from", changes.primary_key->from}, {"to", changes.primary_key->to}};
  return {{"addedColumns", changes.added_columns}, {"missingColumns", changes.missing_columns}, {"primaryKey", key}};
}

}  // namespace

std::string render_plan(const RunReport& report) {
  std::vector<std::vector<std::string>> rows{{"source table", "rows", "CSV size", "destination table", "action", "changedSince"}};
  std::vector<std::string> notes;
  for (const auto& table : report.tables) {
    if (table.status == TableReport::Status::skipped) {
      notes.push_back(fmt::format("{}: skipped ({})", table.name, table.skip_reason));
      continue;
    }
    if (table.status == TableReport::Status::failed) {
      notes.push_back(fmt::format("{}: cannot be copied: {}", table.name, table.error ? table.error->describe() : "unknown"));
      for (auto& note : change_notes(table)) notes.push_back(std::move(note));
      continue;
    }
    rows.push_back({table.source_table_id, table.source_rows ? std::to_string(*table.source_rows) : "-",
                    table.source_bytes ? human_bytes(*table.source_bytes) : "-", table.destination_table_id,
                    table.action, table.changed_since ? storage_api::format_iso_utc(*table.changed_since) : "(all rows)"});
    for (const auto& warning : table.warnings) notes.push_back(fmt::format("{}: {}", table.name, warning));
    for (auto& note : change_notes(table)) notes.push_back(std::move(note));
  }
  std::vector<std::size_t> width(rows[0].size(), 0);
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  std::string out = "Plan (dry run: nothing is written):\n";
  if (report.shard) out += shard_line(*report.shard);
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i)
      line += (i == 1 || i == 2) ? fmt::format("{:>{}}  ", row[i], width[i]) : fmt::format("{:<{}}  ", row[i], width[i]);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  for (const auto& note : notes) out += note + "\n";
  return out;
}

nlohmann::json error_json(const Error& error) {
  nlohmann::json out = {{"kind", to_string(error.kind)}, {"message", error.message}, {"hint", error.hint}};
  if (error.http_status) out["httpStatus"] = error.http_status;
  if (!error.api_code.empty()) out["code"] = error.api_code;
  if (!error.request_id.empty()) out["requestId"] = error.request_id;
  return out;
}

nlohmann::json to_json(const RunReport& report) {
  nlohmann::json tables = nlohmann::json::array();
  for (const auto& table : report.tables) {
    nlohmann::json entry = {{"name", table.name},
                            {"sourceTableId", table.source_table_id},
                            {"destinationTableId", table.destination_table_id},
                            {"action", table.action.empty() ? nlohmann::json() : nlohmann::json(table.action)},
                            {"changedSince", table.changed_since ? nlohmann::json(storage_api::format_iso_utc(*table.changed_since)) : nlohmann::json()},
                            {"sourceRows", table.source_rows ? nlohmann::json(*table.source_rows) : nlohmann::json()},
                            {"sourceDataSizeBytes", table.source_bytes ? nlohmann::json(*table.source_bytes) : nlohmann::json()},
                            {"rows", table.rows ? nlohmann::json(*table.rows) : nlohmann::json()},
                            {"destinationRows", table.destination_rows ? nlohmann::json(*table.destination_rows) : nlohmann::json()},
                            {"bytes", table.bytes},
                            {"slices", table.slices},
                            {"checksumsVerified", table.checksums_verified},
                            {"metadataItems", table.metadata_items ? nlohmann::json(*table.metadata_items) : nlohmann::json()},
                            {"seconds", std::round(table.seconds * 1000) / 1000},
                            {"status", to_string(table.status)},
                            {"error", nlohmann::json()},
                            {"warnings", table.warnings}};
    entry["glob"] = table.glob.empty() ? nlohmann::json() : nlohmann::json(table.glob);
    entry["importChanges"] = table.import_changes ? changes_json(*table.import_changes) : nlohmann::json();
    if (table.phases) {
      const auto ms = [](double seconds) { return std::round(seconds * 1000) / 1000; };
      entry["phases"] = {{"exportJob", ms(table.phases->export_job)}, {"transfer", ms(table.phases->transfer)},
                         {"importJob", ms(table.phases->import_job)}, {"pollSlack", ms(table.phases->poll_slack)}};
    }
    if (table.ids) {
      const auto text = [](const std::string& id) { return id.empty() ? nlohmann::json() : nlohmann::json(id); };
      const auto number = [](const std::optional<std::int64_t>& id) { return id ? nlohmann::json(*id) : nlohmann::json(); };
      entry["exportJobId"] = text(table.ids->export_job);
      entry["sourceFileId"] = number(table.ids->source_file);
      entry["destinationFileId"] = number(table.ids->destination_file);
      entry["importJobId"] = text(table.ids->import_job);
    }
    if (table.status == TableReport::Status::skipped) entry["skipReason"] = table.skip_reason;
    if (table.error) {
      entry["error"] = error_json(*table.error);
    }
    tables.push_back(std::move(entry));
  }
  nlohmann::json shard;
  if (report.shard)
    shard = {{"index", report.shard->index}, {"count", report.shard->count}, {"tables", report.shard->tables},
             {"configuredTables", report.shard->configured_tables}};
  nlohmann::json stopped_by;
  if (report.stopped_by)
    stopped_by = error_json(*report.stopped_by);
  return {{"toolVersion", KBC_VERSION},
          {"started", storage_api::format_iso_utc(report.started)},
          {"finished", storage_api::format_iso_utc(report.finished)},
          {"dryRun", report.dry_run},
          {"source", side_json(report.source)},
          {"destination", side_json(report.destination)},
          {"shard", shard},
          {"tables", tables},
          {"stoppedBy", stopped_by},
          {"exitCode", to_int(run_exit_code(report))}};
}

namespace {

Error report_refused(const std::filesystem::path& file, const std::string& why, std::string hint) {
  return make_error(ErrorKind::invalid_input, fmt::format("--report {}: {}", file.string(), why), std::move(hint));
}

}  // namespace

Status check_report_target(const std::filesystem::path& file, const std::vector<std::filesystem::path>& protected_files) {
  std::error_code ec;
  const auto status = std::filesystem::status(file, ec);
  if (!ec && std::filesystem::exists(status)) {
    for (const auto& other : protected_files) {
      std::error_code same_ec;
      if (std::filesystem::equivalent(file, other, same_ec))
        return report_refused(file, "is the configuration file; writing the report would replace it",
                              "give the report a file name of its own, e.g. --report report.json");
    }
    if (!std::filesystem::is_regular_file(status))
      return report_refused(file, std::filesystem::is_directory(status) ? "is a directory" : "is not a regular file",
                            "give a path to a (new or existing) regular file");
  }
  const auto temp = temp_file_of(file);
  {
    std::ofstream probe(temp, std::ios::trunc);
    if (!probe)
      return report_refused(file, "cannot create a file in " +
                                      (file.has_parent_path() ? file.parent_path().string() : std::string(".")),
                            "check that the directory exists and is writable");
  }
  std::filesystem::remove(temp, ec);
  return {};
}

namespace {

// Every string of the report through the same masking as the log: an error message may quote
// what a server echoed (a signed request, a session token). Masked value by value, so a
// credential header's "to the end of the line" never swallows the JSON after it.
void mask_strings(nlohmann::json& value) {
  if (value.is_string()) {
    value = redact(value.get_ref<const std::string&>());
  } else if (value.is_structured()) {
    for (auto& item : value) mask_strings(item);
  }
}

}  // namespace

Status write_report(const std::filesystem::path& file, const RunReport& report) {
  auto document = to_json(report);
  mask_strings(document);
  return write_file_atomically(file, document.dump(2) + "\n", "the report");
}

}  // namespace kbc::report
