#include "kbc_storage_extract/extract/runner.hpp"

#include <algorithm>
#include <map>

#include <spdlog/spdlog.h>

#include "kbc_storage_extract/extract/expand_tables.hpp"
#include "kbc_storage_extract/extract/import_once.hpp"
#include "kbc_storage_extract/extract/table_scheduler.hpp"
#include "kbc_storage_extract/stop.hpp"
#include "kbc_storage_extract/storage_api/parse.hpp"

namespace kbc::extract {

namespace {

using report::TableReport;
using storage_api::StorageClient;

report::ProjectSide side_of(const storage_api::TokenInfo& token, const StorageClient& client, const std::string& bucket) {
  return {client.base_url(), token.project_id, token.project_name, token.region, bucket};
}

// A bucket's tables, listed once per run (GET buckets/{id}/tables?include=columns) instead of
// one table detail per table: planning a table costs no request, whatever the table count.
class BucketTables {
 public:
  static Result<BucketTables> list(StorageClient& client, const std::string& bucket_id) {
    auto tables = client.list_tables(bucket_id);
    if (!tables) return tables.error();
    BucketTables listed;
    for (auto& table : *tables) listed.by_name_.emplace(table.name, std::move(table));
    return listed;
  }
  const storage_api::TableDetail* find(const std::string& name) const {
    const auto found = by_name_.find(name);
    return found == by_name_.end() ? nullptr : &found->second;
  }
  std::vector<std::string> names() const {
    std::vector<std::string> names;
    for (const auto& [name, table] : by_name_) names.push_back(name);
    return names;
  }

 private:
  std::map<std::string, storage_api::TableDetail> by_name_;
};

Result<TablePlan> plan_table(const TableConfig& table, const Extraction& extraction, const BucketTables& sources,
                             const BucketTables& destinations, storage_api::TimePoint now) {
  const auto* source = sources.find(table.name);
  if (!source) {
    Error error = make_error(ErrorKind::not_found,
                             fmt::format("table {} does not exist in the source bucket {}", table.name, extraction.source_bucket));
    const auto near = closest_names(table.name, sources.names(), 5);
    if (near.empty()) {
      error.hint = fmt::format("`kbc-storage-extract tables` lists the tables of {}", extraction.source_bucket);
    } else {
      error.hint = "closest names in the source bucket: ";
      for (std::size_t i = 0; i < near.size(); ++i) error.hint += (i ? ", " : "") + near[i];
    }
    return error;
  }
  if (auto problem = filter_problem(table, *source)) return *problem;
  const std::string destination_name = table.destination.empty() ? table.name : table.destination;
  std::optional<storage_api::TableDetail> destination;
  if (const auto* found = destinations.find(destination_name)) destination = *found;
  return make_plan(table, *source, destination, extraction.destination_bucket, now);
}

// The report entry of a configured table, before anything was done with it.
TableReport entry_for(const SelectedTable& table, const std::string& source_bucket, const std::string& destination_bucket) {
  TableReport entry;
  entry.name = table.config.name;
  entry.source_table_id = source_bucket + "." + table.config.name;
  entry.glob = table.config.glob;
  entry.destination_table_id =
      destination_bucket + "." + (table.config.destination.empty() ? table.config.name : table.config.destination);
  entry.status = table.selected ? TableReport::Status::ok : TableReport::Status::skipped;
  entry.skip_reason = table.skip_reason;
  return entry;
}

// A full load replaces the destination with what the export returns: with an override of
// changedSince that is only the changed rows, so the rest of the table would be lost.
std::optional<Error> refuse_partial_replace(const std::vector<SelectedTable>& selection, const ChangedSince& changed_since,
                                            bool allowed) {
  if (allowed) return std::nullopt;
  std::vector<std::string> full_loads;
  for (const auto& table : selection)
    if (table.selected && !table.config.incremental) full_loads.push_back(table.config.name);
  if (full_loads.empty()) return std::nullopt;
  std::string names;
  for (const auto& name : full_loads) names += (names.empty() ? "" : ", ") + name;
  return make_error(ErrorKind::invalid_input,
                    fmt::format("--changed-since \"{}\" would replace {} full-load table{} ({}) with only the rows "
                                "changed since then; nothing was contacted",
                                changed_since.text(), full_loads.size(), full_loads.size() == 1 ? "" : "s", names),
                    "select incremental tables with --table, set \"incremental\": true for them, or add "
                    "--replace-with-changed-rows if the destination should hold only the changed rows");
}

// "changedSince": "auto": the export starts at the table's bookmark (or initialChangedSince,
// or copies everything) and ends at the source server's current time, which becomes the
// next bookmark once the import succeeds.
void apply_bookmark(TablePlan& plan, const RunSettings& settings, const Extraction& extraction) {
  plan.continues_bookmark = true;
  plan.changed_since.reset();
  if (!settings.full) {
    const auto saved = settings.state ? settings.state->table(plan.destination_table_id) : std::nullopt;
    const bool same_tables = saved && saved->source_url == extraction.source.base_url() &&
                             saved->source_table_id == plan.source.id &&
                             saved->destination_url == extraction.destination.base_url();
    if (same_tables && saved->bookmark) plan.changed_since = saved->bookmark;
    else if (plan.config.initial_changed_since) plan.changed_since = plan.config.initial_changed_since->resolve(settings.now);
  }
  plan.changed_until = extraction.source.server_time();
}

std::string partial_replace_warning(const TablePlan& plan) {
  return fmt::format("a full load with changedSince {}: replaces the destination with only the rows changed since then",
                     storage_api::format_iso_utc(*plan.changed_since));
}

// What every table's step reads; nothing in it is written while tables run (the clients are
// safe to share between threads).
struct TableStep {
  Extraction& extraction;
  const BucketTables& sources;
  const BucketTables& destinations;
  const RunSettings& settings;
  const std::map<std::string, Error>& unsettled;  // imports of earlier runs still in flight
};

// One table, start to end: plan, then (unless a dry run) copy. Its outcome, failures included,
// is its report entry; it touches no other table's state.
TableReport run_table(const SelectedTable& table, const TableStep& step) {
  const auto& source_bucket = step.extraction.source_bucket;
  const auto& destination_bucket = step.extraction.destination_bucket;
  TableReport entry = entry_for(table, source_bucket, destination_bucket);
  if (!table.selected) return entry;
  if (process_stop().requested()) {
    entry.status = TableReport::Status::skipped;
    entry.skip_reason = "interrupted";
    return entry;
  }
  const auto started = std::chrono::steady_clock::now();
  entry.changed_since = resolve_changed_since(table.config, step.settings.now);
  // A dry run has no progress to tell: it only plans.
  const progress::TableProgress progress(step.settings.dry_run ? nullptr : step.extraction.progress, table.config.name);
  const auto finish = [&](std::optional<Error> error) {
    entry.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (error) {
      entry.status = TableReport::Status::failed;
      spdlog::error("table {}: {}", table.config.name, error->describe());
      progress.failed(entry.seconds, *error);
      entry.error = std::move(error);
    } else {
      progress.finished(entry.seconds);
    }
    return std::move(entry);
  };
  // An earlier run's import that may still land: copying again could import twice.
  if (auto it = step.unsettled.find(entry.destination_table_id); it != step.unsettled.end()) return finish(it->second);
  auto plan = plan_table(table.config, step.extraction, step.sources, step.destinations, step.settings.now);
  if (!plan) return finish(plan.error());
  if (plan->config.changed_since_auto) {
    apply_bookmark(*plan, step.settings, step.extraction);
    entry.changed_since = plan->changed_since;
  }
  entry.action = to_string(plan->action);
  entry.source_rows = plan->source.rows_count;
  entry.source_bytes = plan->source.data_size_bytes;
  entry.destination_table_id = plan->destination_table_id;
  entry.import_changes = plan->changes;
  // Known before any data moves: the dry run says it, the run does not export in vain.
  if (auto problem = import_problem(*plan)) return finish(std::move(problem));
  if (plan->changes && !plan->changes->added_columns.empty())
    spdlog::info("table {}: the import adds column{} {} to {}", table.config.name,
                 plan->changes->added_columns.size() == 1 ? "" : "s", report::names_text(plan->changes->added_columns),
                 plan->destination_table_id);
  if (!plan->config.incremental && plan->changed_since) {
    entry.warnings.push_back(partial_replace_warning(*plan));
    spdlog::warn("table {}: {}", table.config.name, entry.warnings.back());
  }
  if (step.settings.dry_run) return finish(std::nullopt);
  progress.started(plan->source.data_size_bytes);
  spdlog::info("table {}: {} -> {} ({}{})", table.config.name, plan->source.id, plan->destination_table_id,
               entry.action,
               plan->changed_since ? ", changedSince " + storage_api::format_iso_utc(*plan->changed_since) : "");
  auto copied = copy_table(*plan, step.extraction, progress);
  if (!copied) return finish(copied.error());
  entry.rows = copied->rows;
  entry.destination_rows = copied->destination_rows;
  entry.bytes = copied->bytes;
  entry.slices = copied->slices;
  entry.checksums_verified = copied->checksums_verified;
  if (plan->config.copy_metadata) entry.metadata_items = copied->metadata_items;
  entry.destination_table_id = copied->destination_table_id;
  entry.phases = copied->phases;
  entry.ids = copied->ids;
  for (auto& warning : copied->warnings) {
    spdlog::warn("table {}: {}", table.config.name, warning);
    entry.warnings.push_back(std::move(warning));
  }
  return finish(std::nullopt);
}

Error in_flight_elsewhere(const std::string& destination_table_id, const std::filesystem::path& file) {
  return make_error(ErrorKind::conflict,
                    fmt::format("an import into {} is still journalled as in flight in {}, the run state of another "
                                "shard layout of this config; it was not copied, so that it cannot be imported twice",
                                destination_table_id, file.string()),
                    "run the layout that wrote that file once more (the run without --shard for <config>.state.json, "
                    "--shard I/N for <config>.shard-I-of-N.state.json): it settles the import; then this run copies "
                    "the table");
}

// Drop the tables of other shards from the selection; what stays is this shard's report.
report::ShardReport keep_shard(std::vector<SelectedTable>& selection, const Config& config, const Shard& shard) {
  report::ShardReport held{shard.index, shard.count, {}, selection.size()};
  std::erase_if(selection, [&](const SelectedTable& table) {
    return shard_of(destination_table_id(config, table.config), shard.count) != shard.index;
  });
  for (const auto& table : selection) held.tables.push_back(table.config.name);
  return held;
}

void log_shard(const report::ShardReport& shard, const std::vector<SelectedTable>& selection) {
  const auto selected = std::count_if(selection.begin(), selection.end(), [](const auto& t) { return t.selected; });
  if (selected == 0)
    spdlog::info("shard {}/{}: holds no table to copy ({} of {} configured tables, none selected); nothing to do",
                 shard.index, shard.count, shard.tables.size(), shard.configured_tables);
  else
    spdlog::info("shard {}/{}: {} of {} configured tables, {} to copy", shard.index, shard.count, shard.tables.size(),
                 shard.configured_tables, selected);
}

}  // namespace

Result<Preflight> preflight(StorageClient& source, StorageClient& destination, const std::string& destination_bucket,
                            storage_api::TimePoint now) {
  Preflight result;
  auto source_token = source.verify_token();
  if (!source_token) {
    Error& error = source_token.error();
    error.message = "source token: " + error.message;
    if (error.kind == ErrorKind::authentication)
      error.hint = fmt::format("{} does not accept it: the token is invalid, expired or was refreshed (which "
                               "invalidates the old string). {}",
                               source.base_url(), source_token_howto);
    return error;
  }
  const auto verdict = check_source_token(*source_token, now);
  if (!verdict.usable()) return verdict.refusal;
  for (const auto& warning : verdict.warnings) spdlog::warn("{}", warning);
  result.source_token = std::move(*source_token);
  result.source_bucket = verdict.bucket_id;

  auto destination_token = destination.verify_token();
  if (!destination_token) {
    Error& error = destination_token.error();
    error.message = "destination token: " + error.message;
    if (error.kind == ErrorKind::authentication)
      error.hint = fmt::format("{} does not accept it: the token is invalid, expired or was refreshed; create or "
                               "refresh a token with write access to {} in the destination project",
                               destination.base_url(), destination_bucket);
    return error;
  }
  // A token with no right on the bucket cannot see it either: do not ask, refuse.
  const auto& permissions = destination_token->bucket_permissions;
  const bool may_see = destination_token->is_master_token || destination_token->can_manage_buckets ||
                       permissions.count(destination_bucket) > 0;
  bool exists = false;
  if (may_see) {
    auto bucket = destination.get_bucket(destination_bucket);
    if (bucket) exists = true;
    else if (bucket.error().kind != ErrorKind::not_found) return bucket.error();
  }
  const auto destination_verdict = check_destination_token(*destination_token, destination_bucket, exists, now);
  for (const auto& warning : destination_verdict.warnings) spdlog::warn("{}", warning);
  if (destination_verdict.access == DestinationVerdict::Access::refused) return destination_verdict.refusal;
  result.destination_token = std::move(*destination_token);
  result.destination_bucket_exists = exists;
  result.destination_bucket_to_create = destination_verdict.access == DestinationVerdict::Access::create_bucket;
  return result;
}

Result<report::RunReport> run_extraction(const Config& config, StorageClient& source, StorageClient& destination,
                                         const RunSettings& settings) {
  report::RunReport run;
  run.started = settings.now;
  run.dry_run = settings.dry_run;
  auto selection = select_tables(config, settings.only_tables);  // before any call: a typo costs nothing
  if (!selection) return selection.error();
  // Glob entries become tables only once the source bucket is listed; what depends on the
  // tables (shards, the --changed-since check) waits for that.
  const bool globs = has_globs(config);
  const auto narrow = [&](std::vector<SelectedTable>& tables) -> std::optional<Error> {
    if (settings.shard) {
      run.shard = keep_shard(tables, config, *settings.shard);
      log_shard(*run.shard, tables);
    }
    if (!settings.changed_since) return std::nullopt;
    if (auto refused = refuse_partial_replace(tables, *settings.changed_since, settings.replace_with_changed_rows))
      return refused;
    for (auto& table : tables) {
      table.config.changed_since = settings.changed_since;
      table.config.changed_since_auto = false;  // an explicit window does not continue a bookmark
    }
    return std::nullopt;
  };
  if (!globs) {
    if (auto refused = narrow(*selection)) return *refused;
  } else if (settings.changed_since) {
    // A glob's tables inherit its save settings: its entry tells already, before any call.
    if (auto refused = refuse_partial_replace(*selection, *settings.changed_since, settings.replace_with_changed_rows))
      return *refused;
  }

  auto checked = preflight(source, destination, config.destination_bucket, settings.now);
  if (!checked) return checked.error();
  run.source = side_of(checked->source_token, source, checked->source_bucket);
  run.destination = side_of(checked->destination_token, destination, config.destination_bucket);

  if (checked->destination_bucket_to_create && !settings.dry_run) {
    auto created = destination.create_bucket(config.destination_bucket, "Tables copied by kbc-storage-extract");
    if (!created) return created.error();
    spdlog::info("created destination bucket {}", config.destination_bucket);
    checked->destination_bucket_exists = true;
  }

  Extraction extraction{source, destination, checked->source_bucket, config.destination_bucket, {}};
  extraction.progress = settings.progress;
  // What an earlier run left in flight is settled before anything is copied again.
  std::map<std::string, Error> unsettled;
  if (settings.state && !settings.dry_run) {
    extraction.state = settings.state;
    unsettled = settle_in_flight(destination, *settings.state, destination.base_url());
    for (const auto& [id, file] : settings.foreign_in_flight)
      unsettled.emplace(id, in_flight_elsewhere(id, file));
  }
  auto sources = BucketTables::list(source, checked->source_bucket);
  if (!sources) return sources.error();
  auto destinations = checked->destination_bucket_exists ? BucketTables::list(destination, config.destination_bucket)
                                                         : Result<BucketTables>(BucketTables{});
  if (!destinations) return destinations.error();
  if (globs) {
    auto expansion = expand_tables(config.tables, sources->names(), checked->source_bucket);
    for (const auto& warning : expansion.warnings) spdlog::warn("{}: {}", config.file.string(), warning);
    Config expanded = config;
    expanded.tables = std::move(expansion.tables);
    selection = select_tables(expanded, settings.only_tables);
    if (!selection) return selection.error();
    if (auto refused = narrow(*selection)) return *refused;
  }
  // Tables at once and slices (parts) at once share the --parallel budget.
  std::size_t selected = 0;
  for (const auto& table : *selection) selected += table.selected ? 1 : 0;
  const auto budget = share_parallel(settings.parallel, selected);
  extraction.transfer.parallel = budget.streams_per_table;
  extraction.transfer.part_size = settings.part_size;
  extraction.transfer.retry = settings.network.retry_policy();
  extraction.transfer.limits = settings.network.http_limits();
  const TableStep step{extraction, *sources, *destinations, settings, unsettled};
  run.tables.resize(selection->size());
  run_tables_in_order(selection->size(), budget.tables_at_once,
                      [&](std::size_t i) { run.tables[i] = run_table((*selection)[i], step); });
  // A stopped run exits 130 whichever table the signal came in, the last one included.
  if (process_stop().requested()) run.exit_code = ExitCode::interrupted;
  run.finished = std::chrono::system_clock::now();
  return run;
}

}  // namespace kbc::extract
