#pragma once
// Copy one object from any store to any store, streamed: a reader thread fills a bounded
// buffer that the uploader drains, so memory stays at `buffer_bytes` per part in flight
// whatever the object's size. A failed part is retried alone by re-reading its byte range.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "kbc_storage_extract/result.hpp"
#include "kbc_storage_extract/retry.hpp"
#include "kbc_storage_extract/transfer/object_store.hpp"

namespace kbc::transfer {

struct CopyOptions {
  std::size_t buffer_bytes = 4 << 20;  // per part in flight
  int parallel_parts = 1;              // parts uploaded at once
  RetryPolicy retry;
  std::function<void(std::uint64_t bytes_done)> on_progress;  // called from worker threads
  // The source object's size when the caller already knows it (saves a HEAD); else asked.
  std::optional<std::uint64_t> size;
};

struct CopyStats {
  std::uint64_t bytes = 0;
  int retries = 0;
};

Result<CopyStats> copy_object(ObjectStore& from, const std::string& from_key, ObjectStore& to,
                              const std::string& to_key, const CopyOptions& options);

// Abort every upload copy_object has in flight, at once and in parallel (multipart uploads,
// resumable sessions, partial objects): the second SIGINT/SIGTERM calls it before the process
// ends, so that not even an immediate stop leaves parts in a bucket. Bounded in time.
void abort_uploads_in_flight() noexcept;

}  // namespace kbc::transfer
