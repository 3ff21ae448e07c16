#pragma once
// The configuration file: parsed, validated and resolved before any network call.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
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
  bool defaulted = false; // the key was absent: `reference` is the default variable
};

// The environment variables used when a side has no "token" key.
inline constexpr const char* kSourceTokenEnv = "KBC_SOURCE_TOKEN";
inline constexpr const char* kDestinationTokenEnv = "KBC_DESTINATION_TOKEN";
// token create (and token refresh --id): the source project's master token.
inline constexpr const char* kMasterTokenEnv = "KBC_MASTER_TOKEN";

struct Endpoint {
  std::string url;                    // Storage API base URL, no trailing slash
  std::optional<std::string> region;  // the region name when given as "region"
  TokenSpec token;
  Secret resolved_token;              // filled by resolve_tokens(); empty until then
};

struct TableConfig {
  std::string name;         // source table name in the token's bucket
  std::string destination;  // destination table name (defaults to name)
  bool enabled = true;
  std::optional<ChangedSince> changed_since;
  // "changedSince": "auto": each run copies the rows changed since the last successful one
  // (the run state's bookmark); the first run copies from initial_changed_since, or everything.
  bool changed_since_auto = false;
  std::optional<ChangedSince> initial_changed_since;
  bool incremental = false;
  std::vector<std::string> primary_key;  // destination primary key; may differ from the source's
  // "fullSync": true (ex-storage's option): the source table's primary key, content replaced.
  bool full_sync = false;
  // "copyMetadata": true: the table's and columns' metadata (per provider) go with the data.
  bool copy_metadata = false;
  std::string json_path;                 // "/tables/3"

  // Export filters, passed to export-async as they are.
  std::vector<std::string> columns;  // a subset of the source's columns, in this order; empty: all
  struct Where {
    std::string column;
    std::vector<std::string> values;
    std::string op = "eq";  // eq: the column is one of values; ne: it is none of them
  };
  std::optional<Where> where;
  std::optional<ChangedSince> changed_until;  // rows changed before it (same forms as changedSince)

  // "name" holds `*` or `?`: the entry stands for the source tables it matches at run time.
  bool is_glob = false;
  std::vector<std::string> exclude;  // globs of table names a glob entry leaves out
  std::string glob;                  // set on a table expanded from a glob entry: that entry's pattern
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
// Every token read is registered with the redactor (kbc::register_secret), so its exact value
// is masked in all later output.
Result<Secret> resolve_token(const TokenSpec& spec);

// Resolve both sides' tokens into Endpoint::resolved_token (source first); the first error wins.
Status resolve_tokens(Config& config);
// One side's token only (`tables` reads the source and needs no destination token).
Status resolve_token_of(Endpoint& endpoint);

// A Storage API base URL as the config accepts it: https (any host) or http on loopback only
// (127.0.0.1, localhost, [::1]), no path other than "/", no query, fragment or user info.
// Returns it normalized: "scheme://host[:port]", no trailing slash.
Result<std::string> parse_storage_url(std::string_view url);

// The configured table with this source name, or nullptr.
const TableConfig* find_table(const Config& config, std::string_view name);

}  // namespace kbc
