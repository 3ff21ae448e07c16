#pragma once
// What the command line asked for, filled by CLI11 (define_cli) and read by the dispatcher.
#include <filesystem>
#include <string>

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

struct Invocation {
  std::string log_format = "text";
  std::string log_level;  // empty: from -q/-v
  bool quiet = false;
  int verbose = 0;

  std::filesystem::path config_file;  // run, validate, tables
  commands::RunOptions run;
  std::string run_changed_since;  // --changed-since VALUE, parsed into run.changed_since
  std::string run_shard;          // --shard I/N or auto/N, parsed into run.shard
  commands::TablesOptions tables;
  TokenVerifyFlags token_verify;

  CLI::App* run_command = nullptr;
  CLI::App* validate_command = nullptr;
  CLI::App* tables_command = nullptr;
  CLI::App* token_verify_command = nullptr;
};

// Declare every command and flag on `app`, bound to `invocation`.
void define_cli(CLI::App& app, Invocation& invocation);

}  // namespace kbc::cli
