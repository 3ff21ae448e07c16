#pragma once
// StorageClient: the Storage API calls the tool makes, named after the API. Every call sends
// X-StorageApi-Token, retries faults that may pass (429/503 with Retry-After, 5xx, connection
// faults) with RetryPolicy, and turns a refusal into a kbc::Error that says what was being
// done (which table, which bucket). Async calls return the started Job; wait_for_job polls it.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kbc_storage_extract/http/client.hpp"
#include "kbc_storage_extract/result.hpp"
#include "kbc_storage_extract/retry.hpp"
#include "kbc_storage_extract/secret.hpp"
#include "kbc_storage_extract/storage_api/types.hpp"
#include "kbc_storage_extract/transfer/object_store.hpp"

namespace kbc::storage_api {

// POST tables/{tableId}/export-async
struct ExportOptions {
  std::optional<std::int64_t> changed_since;  // unix timestamp (seconds): rows changed at or after it
  std::optional<std::int64_t> changed_until;  // unix timestamp (seconds): rows changed before it
  bool gzip = true;
  std::vector<std::string> columns;  // empty: all columns
  std::string where_column;          // empty: no row filter
  std::vector<std::string> where_values;
  std::string where_operator = "eq";  // eq | ne
};

// POST tables/{tableId}/import-async
struct ImportOptions {
  std::int64_t data_file_id = 0;
  bool incremental = false;
  std::vector<std::string> columns;  // the file's column order; the file then has no header
  bool without_headers = false;
};

// POST buckets/{bucketId}/tables-async
struct CreateTableOptions {
  std::string name;
  std::int64_t data_file_id = 0;
  std::vector<std::string> primary_key;  // sent comma-separated, as the API wants
};

// POST files/prepare
struct PrepareFileOptions {
  std::string name;
  std::uint64_t size_bytes = 0;
  bool is_sliced = false;
};

// POST tokens: a limited token (never a master token: the API creates none).
struct CreateTokenOptions {
  std::string description;
  std::map<std::string, std::string> bucket_permissions;  // bucketId -> read | write
  std::optional<std::int64_t> expires_in;                 // seconds; nullopt: never expires
};

// How wait_for_job polls a job (the policy, also in docs/run.md):
//  - before each GET wait `fraction` of the time the job has run so far (elapsed / 20), but
//    at least `min_delay` (25 ms) and at most `max_delay` (250 ms). The first GET comes after
//    25 ms, not at once as the Keboola clients do: a job is never done the instant it starts.
// So a job's end is noticed within max(min_delay, 5% of its duration) and never later than
// 250 ms, and the polls a job costs are bounded: about 20 in its first half second, about 50
// more up to 5 s (each wait 5% longer than the last), then 4 a second at most. No fixed long
// sleep, no flooding: a short job costs a handful of GETs, an hour-long one ~14,500.
struct JobPolling {
  std::chrono::milliseconds min_delay{25};
  std::chrono::milliseconds max_delay{250};
  int fraction = 20;  // wait elapsed / fraction
  std::chrono::seconds timeout{6 * 3600};
};

// The wait before the next poll of a job that has been running for `elapsed` (see JobPolling).
std::chrono::milliseconds next_poll_delay(const JobPolling& polling, std::chrono::steady_clock::duration elapsed);

class StorageClient {
 public:
  // `base_url`: "https://connection.keboola.com" (no /v2/storage), no trailing slash.
  // `request_timeout`: the longest one request may take, answer included (--timeout).
  StorageClient(std::string base_url, Secret token, http::Client& http, RetryPolicy retry = {},
                JobPolling polling = {}, std::chrono::seconds request_timeout = std::chrono::minutes{5});

  const std::string& base_url() const { return base_url_; }

  // The server's clock as its last answer's Date header gave it (seconds, rounded down), so
  // time windows of exports follow the server, not this machine's clock. Empty before any
  // answer with a Date.
  std::optional<TimePoint> server_time() const;

  Result<TokenInfo> verify_token();
  // POST tokens (the caller must be allowed to manage tokens: a master token). Sent once: a
  // lost answer is not resent, since the token may exist already (see `token create` docs).
  Result<IssuedToken> create_token(const CreateTokenOptions& options);
  // POST tokens/{id}/refresh: a new string for token `id`; the old one stops working at once.
  Result<IssuedToken> refresh_token(const std::string& token_id);

  Result<std::vector<Bucket>> list_buckets();
  Result<Bucket> get_bucket(const std::string& bucket_id);
  // `bucket_id` like "in.c-from-eu": creates stage "in", name "from-eu".
  Result<Bucket> create_bucket(const std::string& bucket_id, const std::string& description);

  Result<std::vector<TableDetail>> list_tables(const std::string& bucket_id);
  Result<TableDetail> get_table(const std::string& table_id);

  Result<Job> export_table_async(const std::string& table_id, const ExportOptions& options);
  Result<Job> import_table_async(const std::string& table_id, const ImportOptions& options);
  Result<Job> create_table_async(const std::string& bucket_id, const CreateTableOptions& options);
  // POST tables/{tableId}/metadata (JSON): set (insert or update by provider and key) the
  // table's `metadata` and the columns' `columnsMetadata` items, all of one `provider`.
  Status set_table_metadata(const std::string& table_id, const std::string& provider,
                            const std::vector<MetadataItem>& table_items,
                            const std::map<std::string, std::vector<MetadataItem>>& column_items);
  Result<Job> add_primary_key(const std::string& table_id, const std::vector<std::string>& columns);
  Result<Job> remove_primary_key(const std::string& table_id);

  Result<Job> get_job(const std::string& job_id);
  // GET jobs: the project's jobs, newest first, `limit` from `offset`.
  Result<std::vector<Job>> list_jobs(int limit, int offset);
  // Poll until the job finishes. A job that ends in "error" is Error{job_failed} with the
  // job's own message and code; `what` says what the job was doing ("export of in.c-a.b").
  // `last_wait`, when given, gets the wait before the poll that saw the job finished (0 when
  // the starting answer already had it done): an upper bound of how late its end was noticed.
  Result<Job> wait_for_job(const Job& started, std::string_view what, std::chrono::milliseconds* last_wait = nullptr);

  Result<PreparedFile> prepare_file(const PrepareFileOptions& options);
  Result<FileDetail> get_file(std::int64_t file_id);
  // PUT files/{id}/refresh: fresh upload credentials for a prepared file (GCS tokens last an
  // hour); the answer has the same upload block as files/prepare.
  Result<PreparedFile> refresh_file(std::int64_t file_id);

 private:
  // Whether a failed request may be sent again: reads and exports always; writes only when the
  // server said it did nothing (429/503), since a lost answer may hide a finished import.
  enum class Repeat { always, only_if_refused };
  Result<http::Response> call(const std::string& method, const std::string& path, const std::string& json_body,
                              std::string_view what, Repeat repeat, std::initializer_list<int> ok_statuses = {200});

  std::string base_url_;
  std::atomic<std::int64_t> server_date_{0};  // unix seconds of the last Date header; 0 = none
  Secret token_;
  http::Client& http_;
  RetryPolicy retry_;
  std::chrono::seconds request_timeout_;
  JobPolling polling_;
};

// A sliced file's manifest (at `prefix` + "manifest"): the slice object keys in order. Read
// from `store` (the file's own credentials); the manifest is small, so it is read into memory
// (capped). Every entry must name a distinct object of `store`'s bucket under `prefix`.
Result<std::vector<SliceRef>> read_manifest(transfer::ObjectStore& store, const std::string& prefix);
// The entries of a manifest's JSON text ({"entries":[{"url":"s3://bucket/key"}]}), with each
// one's meta.content_length when it has one; not that shape is ErrorKind::protocol.
Result<std::vector<ManifestEntry>> parse_manifest(std::string_view json_text);
// The slices that `entries` name in `store` under `prefix`; a foreign, out-of-prefix or
// repeated entry is ErrorKind::integrity.
Result<std::vector<SliceRef>> slices_of_manifest(const transfer::ObjectStore& store, const std::string& prefix,
                                                 const std::vector<ManifestEntry>& entries);
// A manifest naming `keys` of `store`, in order, as the Storage API reads it.
std::string make_manifest(const transfer::ObjectStore& store, const std::vector<std::string>& keys);

}  // namespace kbc::storage_api
