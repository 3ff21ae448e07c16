#pragma once
// The subcommands' work, behind the CLI: each takes a validated Config and options, does its
// job, prints its output, and returns the process exit code. The CLI (src/cli) only parses.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "kbc_storage_extract/component/component.hpp"
#include "kbc_storage_extract/config.hpp"
#include "kbc_storage_extract/exit_codes.hpp"
#include "kbc_storage_extract/extract/shard.hpp"
#include "kbc_storage_extract/network_options.hpp"
#include "kbc_storage_extract/progress/consumers.hpp"

namespace kbc::commands {

struct RunOptions {
  std::vector<std::string> tables;  // --table NAME (repeatable); empty = all enabled tables
  // --shard I/N: only the configured tables of shard I (by a hash of the destination table id).
  std::optional<extract::Shard> shard;
  bool dry_run = false;             // --dry-run: print the plan, write nothing
  std::optional<std::filesystem::path> report_file;  // --report FILE: JSON run report
  int parallel = 1;                 // --parallel N: tables/slices copied at once
  int part_size_mib = 64;           // --part-size MIB: each part of a multipart (block, resumable) upload
  // --changed-since VALUE: replaces every selected table's changedSince for this run.
  std::optional<ChangedSince> changed_since;
  // --replace-with-changed-rows: let --changed-since apply to full-load tables too.
  bool replace_with_changed_rows = false;
  // --state FILE: the run state (journal, bookmarks); default next to the config.
  std::optional<std::filesystem::path> state_file;
  bool full = false;  // --full: "changedSince": "auto" tables copy every row this once
  NetworkOptions network;  // --retries, --retry-max-wait, --timeout, --job-timeout, --min-speed, --stall-timeout
  progress::ViewMode view = progress::ViewMode::automatic;  // --progress auto|always|never
  bool json_events = false;  // --log-format json: progress as JSON events (docs/progress.md)
  bool quiet = false;        // -q: no progress at all
};
ExitCode run(const Config& config, const RunOptions& options);

struct TablesOptions {
  std::string search;  // --search TEXT: case-insensitive substring of the table name
  bool json = false;   // --json: machine-readable list
};
ExitCode tables(const Config& config, const TablesOptions& options);

struct CheckOptions {
  std::vector<std::string> tables;  // --table NAME (repeatable); empty = all enabled tables
  bool json = false;                // --json: machine-readable result
};
// Compare each selected source table with its destination table (rows, columns, key, and for
// full loads of every row a content digest of both exports); exit 0, check_differs or
// check_incomplete.
ExitCode check(const Config& config, const CheckOptions& options);

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

struct TokenCreateOptions {
  std::string url;     // Storage API base URL of the source project
  TokenSpec token;     // the project's master token
  std::string bucket;  // the one bucket the new token may read
  std::string description;
  std::optional<std::int64_t> expires_in;  // seconds; nullopt: never expires
};
// Check the token is a master token and the bucket exists, create a read-only token on that
// bucket, print its string (only it) on stdout. Exit 3 for a token that may not create tokens,
// 2 for a bucket the project does not have.
ExitCode token_create(const TokenCreateOptions& options);

struct TokenRefreshOptions {
  std::string url;
  TokenSpec token;                      // the token to refresh, or (with token_id) a master token
  std::optional<std::string> token_id;  // refresh this token instead of `token` itself
};
// Refresh a token and print its new string (only it) on stdout; the old string is invalid.
ExitCode token_refresh(const TokenRefreshOptions& options);

struct SourceBucket {
  std::string bucket_id;            // the source token's one bucket
  std::vector<std::string> tables;  // its tables' names, as the API lists them
};
// For `init`: the bucket a source token reads and its tables; the token must pass the source
// rules (ErrorKind::permission naming the rule otherwise).
Result<SourceBucket> source_bucket_tables(const std::string& url, const Secret& token);

// Component mode (docs/component.md): the loaded job, to storage or to out/tables. Returns our
// exit code; the CLI turns it into the component convention (component_exit_code).
ExitCode component(const component::Job& job);

}  // namespace kbc::commands
