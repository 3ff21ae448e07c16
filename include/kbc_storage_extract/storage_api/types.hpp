#pragma once
// The Storage API's objects as small value types, parsed once at the edge (storage_api/parse).
// Field names follow the API (bucketPermissions, primaryKey, rowsCount, dataSizeBytes).
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kbc_storage_extract/secret.hpp"
#include "kbc_storage_extract/transfer/file_access.hpp"

namespace kbc::storage_api {

using TimePoint = std::chrono::system_clock::time_point;

// GET /v2/storage/tokens/verify
struct TokenInfo {
  std::string id;
  std::string description;
  bool is_master_token = false;
  bool can_manage_buckets = false;
  bool can_manage_tokens = false;
  bool is_expired = false;
  bool is_disabled = false;
  std::optional<TimePoint> expires;                        // null: never expires
  std::map<std::string, std::string> bucket_permissions;  // bucketId -> read|write|manage
  std::string project_id;
  std::string project_name;
  std::string region;                 // owner.region
  std::string file_storage_provider;  // owner.fileStorageProvider
};

// POST /v2/storage/tokens, POST /v2/storage/tokens/{id}/refresh: the only answers that carry
// a token's string. `token` is registered for masking the moment it is parsed.
struct IssuedToken {
  TokenInfo info;
  Secret token;
};

struct Bucket {
  std::string id;     // "in.c-main"
  std::string name;   // "c-main"
  std::string stage;  // "in" | "out"
  std::string description;
};

// One metadata item of a table or column: key/value, set by a provider ("user", a component id).
struct MetadataItem {
  std::string key;
  std::string value;
  std::string provider;
};

struct TableDetail {
  std::string id;         // "in.c-main.orders"
  std::string name;       // "orders"
  std::string bucket_id;  // "in.c-main"
  std::vector<std::string> columns;
  std::vector<std::string> primary_key;
  std::uint64_t rows_count = 0;
  std::uint64_t data_size_bytes = 0;
  std::string last_import_date;  // as the API gives it (ISO 8601), may be empty
  std::string last_change_date;
  // Only the table detail (GET tables/{id}) carries these; a listing may leave them empty.
  std::vector<MetadataItem> metadata;                                   // metadata
  std::map<std::string, std::vector<MetadataItem>> column_metadata;     // columnMetadata: column -> items
};

// GET /v2/storage/jobs/{id}: only what the tool reads from `results`.
struct Job {
  std::string id;
  std::string status;          // waiting | processing | success | error
  std::string operation_name;  // tableExport, tableImport, tableCreate, ...
  std::string table_id;
  std::optional<TimePoint> created;                   // createdTime (the server's clock)
  std::optional<std::int64_t> import_file_id;         // tableImport: the file it reads (operationParams)
  std::optional<std::int64_t> file_id;                // tableExport: results.file.id
  std::string created_table_id;                       // tableCreate: results.id
  std::optional<std::uint64_t> total_rows_count;      // tableImport: results.totalRowsCount
  std::optional<std::uint64_t> total_data_size_bytes; // tableImport: results.totalDataSizeBytes
  std::string error_message;  // error.message when status is "error"
  std::string error_code;     // error.code
  std::string exception_id;   // error.exceptionId

  bool finished() const { return status == "success" || status == "error"; }
};

// GET /v2/storage/files/{id}?federationToken=1: where the bytes are and how to read them.
struct FileDetail {
  std::int64_t id = 0;
  std::string name;
  bool is_sliced = false;
  // sizeBytes: the object's size, or for a sliced file the sum of its slices (how files/prepare
  // is given it); nullopt when the answer has none (null), then nothing is checked against it.
  std::optional<std::uint64_t> size_bytes;
  transfer::FileAccess access;  // provider, bucket/container and temporary credentials
  std::string key;              // the object key; for a sliced file the prefix of slices and manifest
  Secret url;                   // signed URL (of the manifest when sliced); its query is a secret
  std::string manifest_key() const { return key + "manifest"; }
};

// POST /v2/storage/files/prepare with federationToken=1: where to upload a new file's bytes.
struct PreparedFile {
  std::int64_t id = 0;
  std::string name;
  bool is_sliced = false;
  transfer::FileAccess access;
  std::string key;  // the object key; for a sliced file the prefix of slices and manifest
  std::string manifest_key() const { return key + "manifest"; }
};

// One entry of a sliced file's manifest as written: {"url": "...", "meta": {"content_length": N}}.
// Keboola's own manifests carry only url (and mandatory); content_length is the Redshift
// UNLOAD MANIFEST VERBOSE form, checked when present.
struct ManifestEntry {
  std::string url;
  std::optional<std::uint64_t> content_length;
};

// One entry of a sliced file's manifest, as an object key in the file's bucket.
struct SliceRef {
  std::string url;  // "s3://bucket/key"
  std::string key;  // "key"
  std::optional<std::uint64_t> content_length;  // the size the manifest promises, if it says
};

}  // namespace kbc::storage_api
