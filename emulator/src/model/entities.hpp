#pragma once
// The emulator's Storage objects as value types (rows of the metadata tables).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kbc::emulator {

struct Project {
  std::int64_t id = 0;
  std::string name;
  std::string region;
  std::int64_t organization_id = 0;
  std::string type = "production";
  std::int64_t created = 0;
};

struct Token {
  std::int64_t id = 0;
  std::int64_t project_id = 0;
  std::string token;  // the secret string; only shown on create and refresh
  std::string description;
  bool is_master = false;
  bool can_manage_buckets = false;
  bool can_read_all_file_uploads = false;
  bool can_purge_trash = false;
  std::map<std::string, std::string> bucket_permissions;  // bucketId -> read|write
  std::vector<std::string> component_access;
  std::optional<std::int64_t> expires;
  std::int64_t created = 0;
  std::int64_t refreshed = 0;
  std::optional<std::int64_t> creator_token_id;

  bool expired(std::int64_t now) const { return expires && *expires <= now; }
  bool can_manage_tokens() const { return is_master; }
  bool sees_all_buckets() const { return is_master || can_manage_buckets; }
};

struct Bucket {
  std::int64_t project_id = 0;
  std::string id;  // "in.c-main"
  std::string name;  // "c-main"
  std::string stage;
  std::string description;
  std::string display_name;
  std::int64_t created = 0;
};

struct TableMeta {
  std::int64_t storage_id = 0;  // names the SQLite table holding the rows
  std::int64_t project_id = 0;
  std::string id;  // "in.c-main.orders"
  std::string bucket_id;
  std::string name;
  std::vector<std::string> columns;
  std::vector<std::string> primary_key;
  std::int64_t rows_count = 0;
  std::int64_t data_size_bytes = 0;
  std::int64_t created = 0;
  std::optional<std::int64_t> last_import_date;
  std::optional<std::int64_t> last_change_date;

  std::string data_table() const { return "data_" + std::to_string(storage_id); }
};

struct FileRecord {
  std::int64_t id = 0;
  std::int64_t project_id = 0;
  std::string name;
  std::string s3_key;  // the object key, or the slice prefix of a sliced file
  bool is_sliced = false;
  bool is_encrypted = false;
  bool is_public = false;
  std::optional<std::int64_t> size_bytes;
  std::vector<std::string> tags;
  std::int64_t created = 0;
  std::int64_t max_age_days = 15;  // 0: permanent
  std::optional<std::int64_t> creator_token_id;
  std::optional<std::string> run_id;  // X-KBC-RunId of the request that made it

  // Past its maxAgeDays at `now` (a permanent file never expires).
  bool expired(std::int64_t now) const { return max_age_days > 0 && created + max_age_days * 86400 <= now; }
};

struct Job {
  std::int64_t id = 0;
  std::int64_t project_id = 0;
  std::string status = "waiting";
  std::string operation_name;
  nlohmann::json operation_params = nlohmann::json::object();
  std::optional<std::string> table_id;
  std::int64_t created = 0;
  std::optional<std::int64_t> started;
  std::optional<std::int64_t> ended;
  nlohmann::json results;  // null until success
  nlohmann::json error;    // null unless status == error
  nlohmann::json metrics;
  std::int64_t creator_token_id = 0;
  std::optional<std::string> run_id;  // X-KBC-RunId of the request that started it
};

// One metadata item of a table ("table", "in.c-main.orders") or a column ("column",
// "in.c-main.orders.id"); unique per object, provider and key.
struct MetadataItem {
  std::int64_t id = 0;
  std::int64_t project_id = 0;
  std::string object_type;
  std::string object_id;
  std::string provider;
  std::string key;
  std::string value;
  std::int64_t timestamp = 0;
};

struct TokenEvent {
  std::int64_t id = 0;
  std::int64_t token_id = 0;
  std::int64_t project_id = 0;
  std::string event;
  std::string message;
  std::string object_type;
  std::string object_id;
  nlohmann::json params = nlohmann::json::object();
  std::int64_t created = 0;
};

}  // namespace kbc::emulator
