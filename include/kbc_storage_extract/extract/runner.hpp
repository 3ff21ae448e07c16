#pragma once
// The whole `run` after the config is loaded: token checks first (nothing else is called
// before the source token passed), then every selected table in configuration order. A
// failing table is recorded and the next one runs. Once the run is stopped (process_stop(),
// a signal) the tables not yet started are skipped ("interrupted") and the exit code is 130.
// Prints nothing; logs through spdlog.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "kbc_storage_extract/config.hpp"
#include "kbc_storage_extract/extract/plan.hpp"
#include "kbc_storage_extract/extract/shard.hpp"
#include "kbc_storage_extract/extract/table_copier.hpp"
#include "kbc_storage_extract/extract/token_rules.hpp"
#include "kbc_storage_extract/network_options.hpp"
#include "kbc_storage_extract/report/report.hpp"
#include "kbc_storage_extract/state/run_state.hpp"
#include "kbc_storage_extract/storage_api/client.hpp"

namespace kbc::extract {

struct Preflight {
  storage_api::TokenInfo source_token;
  storage_api::TokenInfo destination_token;
  std::string source_bucket;
  bool destination_bucket_exists = false;
  bool destination_bucket_to_create = false;  // missing, and the token may create it
};

// Verify both tokens against the rules; ErrorKind::permission/authentication when unfit.
// Warnings (expiry soon) are logged. Creates nothing.
Result<Preflight> preflight(storage_api::StorageClient& source, storage_api::StorageClient& destination,
                            const std::string& destination_bucket, storage_api::TimePoint now);

struct RunSettings {
  std::vector<std::string> only_tables;  // --table
  // --shard I/N: only the configured tables of this shard are looked at (and reported); the
  // selection (enabled, --table) applies within them.
  std::optional<Shard> shard;
  bool dry_run = false;
  int parallel = 1;
  std::uint64_t part_size = 0;  // bytes of each upload part (--part-size); 0 = each provider's default
  storage_api::TimePoint now;  // run start: every relative changedSince resolves against it
  std::optional<ChangedSince> changed_since;  // overrides every table's changedSince
  // With changed_since: also for full-load tables, whose destination then holds only the
  // changed rows. Without it such a run is refused before any request.
  bool replace_with_changed_rows = false;
  // --full: "changedSince": "auto" tables copy every row once (their bookmark then restarts).
  bool full = false;
  // The config's run state (journal and bookmarks); null: none. Read-only on dry runs.
  state::RunState* state = nullptr;
  NetworkOptions network;  // retries and stall limits of the file transfers
  // Destination table id -> another state file of this config (another shard layout) that
  // journals an import of it in flight: such a table fails this run without being copied.
  std::map<std::string, std::filesystem::path> foreign_in_flight;
  progress::Sink* progress = nullptr;  // told each table's phases, jobs and bytes; null: nobody
};

// Run (or, with dry_run, plan) the extraction. Errors only for what stops the whole run
// (unknown --table, token refused, destination bucket not creatable); table failures are in
// the report.
Result<report::RunReport> run_extraction(const Config& config, storage_api::StorageClient& source,
                                         storage_api::StorageClient& destination, const RunSettings& settings);

}  // namespace kbc::extract
