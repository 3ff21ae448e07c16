#pragma once
// What the command line asked for, filled by CLI11 (define_cli) and read by the dispatcher.
#include <filesystem>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "kbc_storage_extract/commands.hpp"
#include "kbc_storage_extract/logging.hpp"

namespace kbc::cli {

struct TokenVerifyFlags {
  std::filesystem::path config;  // --config: take URL and token from a config side
  bool destination = false;      // --destination: that side instead of the source
  std::string region;            // --region NAME
  std::string url;               // --url URL
  std::string token_env;         // --token-env NAME
  std::filesystem::path token_file;  // --token-file PATH
  bool json = false;             // --json
};

// token create / token refresh: where the Storage API is and where the token is read from
// (never a flag value: a token in argv shows in process listings and shell history).
struct TokenSourceFlags {
  std::string region;                // --region NAME
  std::string url;                   // --url URL
  std::string token_env;             // --token-env NAME
  std::filesystem::path token_file;  // --token-file PATH
};

struct TokenCreateFlags {
  TokenSourceFlags where;
  std::string bucket;       // --bucket ID: the one bucket the new token may read
  std::string description;  // --description TEXT
  std::string expires_in;   // --expires-in DURATION ("3600", "90d", "12h")
};

struct TokenRefreshFlags {
  TokenSourceFlags where;
  std::string id;  // --id ID: refresh that token (with a master token); empty: the token itself
};

// init PATH: what the new config says; on a terminal the missing answers are asked for.
struct InitFlags {
  std::filesystem::path file;
  bool force = false;                // --force: overwrite an existing file
  std::string region;                // --region NAME (source)
  std::string url;                   // --url URL (source)
  std::string destination_region;    // --destination-region NAME
  std::string destination_url;       // --destination-url URL
  std::string bucket;                // --bucket ID: the destination bucket
  std::vector<std::string> tables;   // --table NAME (repeatable)
  std::string token_env;             // --token-env NAME: the source token's variable
  std::filesystem::path token_file;  // --token-file PATH
};

struct Invocation {
  std::string log_format = "text";
  std::string run_progress = "auto";  // run --progress
  std::string log_level;  // empty: from -q/-v
  bool quiet = false;
  int verbose = 0;

  std::filesystem::path config_file;  // run, validate, tables
  commands::RunOptions run;
  std::string run_changed_since;  // --changed-since VALUE, parsed into run.changed_since
  std::string run_shard;          // --shard I/N or auto/N, parsed into run.shard
  commands::TablesOptions tables;
  commands::CheckOptions check;
  TokenVerifyFlags token_verify;
  TokenCreateFlags token_create;
  TokenRefreshFlags token_refresh;

  CLI::App* run_command = nullptr;
  CLI::App* validate_command = nullptr;
  CLI::App* tables_command = nullptr;
  CLI::App* check_command = nullptr;
  CLI::App* token_verify_command = nullptr;
  CLI::App* token_create_command = nullptr;
  CLI::App* component_command = nullptr;
  CLI::App* init_command = nullptr;
  InitFlags init;
  std::filesystem::path component_data_dir;  // component --data-dir DIR (default $KBC_DATADIR)
  CLI::App* token_refresh_command = nullptr;
};

// Declare every command and flag on `app`, bound to `invocation`.
void define_cli(CLI::App& app, Invocation& invocation);

}  // namespace kbc::cli
