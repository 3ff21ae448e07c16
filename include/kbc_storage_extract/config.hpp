#pragma once
// The configuration file: parsed, validated and resolved before any network call.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "kbc_storage_extract/changed_since.hpp"
#include "kbc_storage_extract/result.hpp"
#include "kbc_storage_extract/secret.hpp"

namespace kbc {

// Where a token comes from: {"env": NAME}, {"file": PATH}, a literal string, or (when the key
// is absent) the default environment variable KBC_SOURCE_TOKEN / KBC_DESTINATION_TOKEN.
struct TokenSpec {
  enum class Kind { env, file, literal };
  Kind kind = Kind::env;
  std::string reference;  // variable name or file path; empty for a literal
  Secret literal;         // only for Kind::literal
  std::string json_path;  // e.g. "/source/token", for error messages
};

struct Endpoint {
  std::string url;                    // Storage API base URL, no trailing slash
  std::optional<std::string> region;  // the region name when given as "region"
  TokenSpec token;
};

struct TableConfig {
  std::string name;         // source table name in the token's bucket
  std::string destination;  // destination table name (defaults to name)
  bool enabled = true;
  std::optional<ChangedSince> changed_since;
  bool incremental = false;
  std::vector<std::string> primary_key;  // destination primary key; may differ from the source's
  std::string json_path;                 // "/tables/3"
};

struct Config {
  std::filesystem::path file;
  Endpoint source;
  Endpoint destination;
  std::string destination_bucket;  // "in.c-from-eu"
  std::vector<TableConfig> tables;  // in configuration order
};

struct ConfigIssue {
  std::string json_path;  // RFC 6901 pointer of the bad value, "" for the whole file
  std::string message;    // what is wrong and what was expected; may suggest a known key
};

// All problems of a file at once, or the config. Tokens are not read here (see resolve_token).
struct ConfigLoad {
  std::optional<Config> config;
  std::vector<ConfigIssue> issues;      // errors: config is empty when any exist
  std::vector<ConfigIssue> warnings;    // e.g. a token given as a literal string
};
ConfigLoad load_config(const std::filesystem::path& file);
ConfigLoad parse_config(std::string_view json_text, const std::filesystem::path& file_for_messages);

// Read the token a spec points at; the error names the JSON path and how to fix it.
Result<Secret> resolve_token(const TokenSpec& spec);

}  // namespace kbc
