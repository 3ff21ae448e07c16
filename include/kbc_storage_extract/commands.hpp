#pragma once
// The subcommands' work, behind the CLI: each takes a validated Config and options, does its
// job, prints its output, and returns the process exit code. The CLI (src/cli) only parses.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "kbc_storage_extract/config.hpp"
#include "kbc_storage_extract/exit_codes.hpp"
#include "kbc_storage_extract/extract/shard.hpp"
#include "kbc_storage_extract/network_options.hpp"

namespace kbc::commands {

struct RunOptions {
  std::vector<std::string> tables;  // --table NAME (repeatable); empty = all enabled tables
  // --shard I/N: only the configured tables of shard I (by a hash of the destination table id).
  std::optional<extract::Shard> shard;
  bool dry_run = false;             // --dry-run: print the plan, write nothing
  std::optional<std::filesystem::path> report_file;  // --report FILE: JSON run report
  int parallel = 1;                 // --parallel N: tables/slices copied at once
  // --changed-since VALUE: replaces every selected table's changedSince for this run.
  std::optional<ChangedSince> changed_since;
  // --replace-with-changed-rows: let --changed-since apply to full-load tables too.
  bool replace_with_changed_rows = false;
  // --state FILE: the run state (journal, bookmarks); default next to the config.
  std::optional<std::filesystem::path> state_file;
  bool full = false;  // --full: "changedSince": "auto" tables copy every row this once
  NetworkOptions network;  // --retries, --retry-max-wait, --timeout, --job-timeout, --min-speed, --stall-timeout
};
ExitCode run(const Config& config, const RunOptions& options);

struct TablesOptions {
  std::string search;  // --search TEXT: case-insensitive substring of the table name
  bool json = false;   // --json: machine-readable list
};
ExitCode tables(const Config& config, const TablesOptions& options);

struct TokenVerifyOptions {
  std::string url;   // Storage API base URL (resolved from --region/--url)
  TokenSpec token;   // where the token comes from
  bool json = false;
  // When set (token verify --config --destination): judge the token as the destination token
  // for this bucket (may write it, or create it) instead of as a source token.
  std::optional<std::string> destination_bucket;
};
// Verify a token and say whether it is fit to be a source token (read-only, one bucket).
ExitCode token_verify(const TokenVerifyOptions& options);

}  // namespace kbc::commands
