#include "kbc_storage_extract/component/out_tables.hpp"

#include <algorithm>
#include <fstream>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "kbc_storage_extract/atomic_file.hpp"
#include "kbc_storage_extract/extract/integrity.hpp"
#include "kbc_storage_extract/extract/plan.hpp"
#include "kbc_storage_extract/extract/token_rules.hpp"
#include "kbc_storage_extract/stop.hpp"
#include "kbc_storage_extract/transfer/object_store.hpp"

namespace kbc::component {

namespace {

namespace fs = std::filesystem;

std::int64_t unix_seconds(storage_api::TimePoint time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

bool ends_with(const std::string& text, std::string_view tail) {
  return text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

struct Written {
  std::size_t slices = 0;
  std::uint64_t bytes = 0;
};

// Every slice of the exported `file` into `folder`, in manifest order, named slice-0001.csv.gz
// (.csv when not gzip), each checked against the size the file storage and manifest promise.
Result<Written> download_slices(const storage_api::FileDetail& file, storage_api::StorageClient& source,
                                const fs::path& folder, const NetworkOptions& network) {
  transfer::ObjectStoreOptions options;
  options.retry = network.retry_policy();
  options.limits = network.http_limits();
  options.refresh_access = [&source, id = file.id]() -> Result<transfer::FileAccess> {
    auto detail = source.get_file(id);
    if (!detail) return detail.error();
    return detail->access;
  };
  auto store = transfer::open_object_store(file.access, options);
  if (!store) return store.error();

  std::vector<extract::StoredSlice> slices;
  std::vector<std::string> keys;
  if (file.is_sliced) {
    auto manifest = storage_api::read_manifest(**store, file.key);
    if (!manifest) return manifest.error();
    for (const auto& entry : *manifest) {
      slices.push_back({entry.url, entry.key.substr(file.key.size()), entry.content_length, 0, {}});
      keys.push_back(entry.key);
    }
  } else {
    slices.push_back({(*store)->url_of(file.key), extract::destination_key(file, file.key, ""), std::nullopt, 0, {}});
    keys.push_back(file.key);
  }
  for (std::size_t i = 0; i < slices.size(); ++i) {
    auto facts = (*store)->facts(keys[i]);
    if (!facts) return facts.error();
    slices[i].stored = facts->size;
    slices[i].md5 = std::move(facts->md5);
  }
  if (auto promised = extract::check_stored_sizes(file, slices); !promised) return promised.error();

  const bool gzip = ends_with(file.name, ".gz");
  Written written;
  for (std::size_t i = 0; i < slices.size(); ++i) {
    const auto path = folder / fmt::format("slice-{:04}.csv{}", i + 1, gzip ? ".gz" : "");
    std::ofstream out(path, std::ios::binary);
    if (!out) return make_error(ErrorKind::io, "cannot create " + path.string());
    extract::ReadCheckingStore checked(**store, slices[i].name, !slices[i].md5.empty());
    auto read = checked.read(keys[i], {}, [&out](const char* data, std::size_t size) {
      out.write(data, static_cast<std::streamsize>(size));
      return static_cast<bool>(out) && !process_stop().requested();
    });
    out.close();
    if (!out) return make_error(ErrorKind::io, "cannot write " + path.string() + " (disk full?)");
    if (!read) return read.error();
    if (auto whole = extract::check_bytes_read(file, slices[i], checked.bytes_read()); !whole) return whole.error();
    if (auto same = extract::check_checksum(file, slices[i], checked.md5_read()); !same) return same.error();
    written.bytes += slices[i].stored;
    ++written.slices;
  }
  return written;
}

struct TableOutcome {
  std::string name;
  std::optional<Error> error;
};

std::string key_text(const std::vector<std::string>& columns) {
  std::string text;
  for (const auto& column : columns) text += (text.empty() ? "" : ", ") + column;
  return text.empty() ? "(none)" : text;
}

// One table: export, slices, manifest. The folder and manifest exist only when all is written.
Status write_table(const extract::SelectedTable& selected, const std::vector<storage_api::TableDetail>& tables,
                   const std::string& source_bucket, const std::string& destination_bucket, const Job& job,
                   storage_api::StorageClient& source, const OutTablesSettings& settings) {
  const TableConfig& table = selected.config;
  if (table.changed_since_auto) {
    return make_error(ErrorKind::invalid_input,
                      fmt::format("table {}: \"changedSince\": \"auto\" needs the storage output (the job forwards "
                                  "KBC_URL and KBC_TOKEN), where the run state lives", table.name),
                      "give a relative changedSince such as \"-1 days\" with \"incremental\": true");
  }
  const auto found = std::find_if(tables.begin(), tables.end(), [&](const auto& t) { return t.name == table.name; });
  if (found == tables.end()) {
    std::vector<std::string> names;
    for (const auto& t : tables) names.push_back(t.name);
    const auto closest = extract::closest_names(table.name, names);
    return make_error(ErrorKind::not_found,
                      fmt::format("table {} is not in the source bucket {}", table.name, source_bucket),
                      closest.empty() ? "the bucket has no tables" : "did you mean: " + key_text(closest) + "?");
  }
  const std::string destination = table.destination.empty() ? table.name : table.destination;
  const fs::path tables_dir = job.data_dir / "out" / "tables";
  const fs::path folder = tables_dir / (destination + ".csv");
  const fs::path manifest = tables_dir / (destination + ".csv.manifest");

  storage_api::ExportOptions options;
  options.gzip = true;
  if (auto since = extract::resolve_changed_since(table, settings.now)) options.changed_since = unix_seconds(*since);
  auto started = source.export_table_async(found->id, options);
  if (!started) return started.error();
  auto exported = source.wait_for_job(*started, "export of " + found->id);
  if (!exported) return exported.error();
  if (!exported->file_id)
    return make_error(ErrorKind::protocol, fmt::format("export of {}: job {} finished without results.file.id", found->id, exported->id));
  auto file = source.get_file(*exported->file_id);
  if (!file) return file.error();

  std::error_code ec;
  fs::remove_all(folder, ec);
  fs::remove(manifest, ec);
  fs::create_directories(folder, ec);
  if (ec) return make_error(ErrorKind::io, "cannot create " + folder.string() + ": " + ec.message());
  auto written = download_slices(*file, source, folder, settings.network);
  if (!written) {
    fs::remove_all(folder, ec);
    return written.error();
  }
  const bool from_source = job.source_primary_key_tables.count(table.name) > 0;
  const auto& primary_key = from_source ? found->primary_key : table.primary_key;
  const std::string destination_id = destination_bucket + "." + destination;
  if (auto saved = write_file_atomically(manifest, table_manifest(destination_id, table.incremental, primary_key, found->columns),
                                            "the manifest of " + destination + ".csv");
      !saved) {
    fs::remove_all(folder, ec);
    return saved.error();
  }
  spdlog::info("{}: {} slice{}, {} bytes in out/tables/{}.csv for {} ({}, primary key {})", table.name, written->slices,
               written->slices == 1 ? "" : "s", written->bytes, destination, destination_id,
               table.incremental ? "incremental" : "full load", key_text(primary_key));
  return {};
}

}  // namespace

std::string table_manifest(const std::string& destination_table_id, bool incremental,
                           const std::vector<std::string>& primary_key, const std::vector<std::string>& columns) {
  const nlohmann::json manifest = {{"destination", destination_table_id},
                                   {"incremental", incremental},
                                   {"primary_key", primary_key},
                                   {"columns", columns}};
  return manifest.dump(2) + "\n";
}

Result<ExitCode> write_out_tables(const Job& job, storage_api::StorageClient& source, const OutTablesSettings& settings) {
  auto token = source.verify_token();
  if (!token) return token.error();
  auto verdict = extract::check_source_token(*token, settings.now);
  if (!verdict.usable()) return verdict.refusal;
  for (const auto& warning : verdict.warnings) spdlog::warn("{}", warning);
  const std::string destination_bucket =
      job.destination_bucket_from_token ? verdict.bucket_id : job.config.destination_bucket;
  auto tables = source.list_tables(verdict.bucket_id);
  if (!tables) return tables.error();
  auto selected = extract::select_tables(job.config, {});
  if (!selected) return selected.error();

  spdlog::info("component: tables of {} ({}) bucket {} into out/tables for bucket {}", token->project_name,
               token->project_id, verdict.bucket_id, destination_bucket);
  std::size_t ok = 0, failed = 0;
  bool only_user_errors = true;  // a table missing or misconfigured, not a fault of the services
  for (const auto& table : *selected) {
    if (!table.selected) continue;
    if (process_stop().requested()) return make_error(ErrorKind::cancelled, "interrupted");
    auto status = write_table(table, *tables, verdict.bucket_id, destination_bucket, job, source, settings);
    if (status) {
      ++ok;
    } else {
      ++failed;
      if (status.error().kind == ErrorKind::cancelled) return status.error();
      const auto kind = status.error().kind;
      only_user_errors = only_user_errors && (kind == ErrorKind::invalid_input || kind == ErrorKind::not_found ||
                                              kind == ErrorKind::permission || kind == ErrorKind::conflict);
      spdlog::error("table {} failed: {}", table.config.name, status.error().describe());
    }
  }
  spdlog::info("component: {} table{} written, {} failed", ok, ok == 1 ? "" : "s", failed);
  if (failed == 0) return ExitCode::success;
  return only_user_errors ? ExitCode::partial_failure : ExitCode::runtime_failure;
}

}  // namespace kbc::component
