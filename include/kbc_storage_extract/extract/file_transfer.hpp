#pragma once
// Moves an exported Storage file from the source project's file storage into a new file of the
// destination project, streamed slice by slice (never whole in memory or on disk). The result
// is always a *sliced* destination file (a non-sliced export becomes one slice), so that the
// import is the same call either way: headerless slices imported with columns[]. Bytes pass
// through untouched: gzip stays gzip.
#include <cstdint>
#include <optional>
#include <string>

#include "kbc_storage_extract/progress/events.hpp"
#include "kbc_storage_extract/result.hpp"
#include "kbc_storage_extract/storage_api/client.hpp"
#include "kbc_storage_extract/storage_api/types.hpp"

namespace kbc::extract {

struct TransferOptions {
  int parallel = 1;                      // slices copied at once (parts at once for a single slice)
  std::size_t buffer_bytes = 4 << 20;    // per part in flight
  std::uint64_t part_size = 0;           // of multipart uploads; 0 = the provider's default (64 MiB)
  // Count the CSV rows in transit (inflating gzip): costs a core's worth of CPU at wire speed,
  // so only asked for when the Storage API reports no row count of what is moved.
  bool count_rows = false;
  RetryPolicy retry;   // each request and each part (--retries, --retry-max-wait)
  http::Limits limits;  // stalls (--min-speed, --stall-timeout)
  const progress::TableProgress* progress = nullptr;  // told the file and the bytes as they move
};

struct TransferredFile {
  std::int64_t file_id = 0;  // the destination file, ready for import-async dataFileId
  std::uint64_t bytes = 0;
  std::size_t slices = 0;
  std::optional<std::uint64_t> rows;  // CSV rows counted in transit (count_rows); else nullopt
  std::size_t checksums_verified = 0;  // slices whose MD5 matched the one their storage states
};

// `name`: the destination file's name, e.g. "orders.csv.gz". `from_project` is the source
// project's client: temporary storage credentials that expire during the copy are renewed
// through it (file detail) and through `to` (files/{id}/refresh), and the copy goes on.
Result<TransferredFile> transfer_file(const storage_api::FileDetail& from, storage_api::StorageClient& from_project,
                                      storage_api::StorageClient& to, const std::string& name, const TransferOptions& options);

// A header-only CSV ("id","name"\n) uploaded as a small destination file, to create a table
// with the source's columns before loading the headerless data into it.
Result<std::int64_t> upload_header_file(storage_api::StorageClient& to, const std::string& name,
                                        const std::vector<std::string>& columns);

// "\"a\",\"b\"\n": CSV header with every name quoted (quotes doubled).
std::string csv_header(const std::vector<std::string>& columns);

}  // namespace kbc::extract
