#pragma once
// A GET of an object's byte range streamed to a sink, resumed where it broke: on a retryable
// failure the next attempt asks only for the bytes the sink has not had yet. Shared by every
// store that reads over plain HTTP ranges (S3, pre-signed URLs).
#include <functional>
#include <string>

#include "kbc_storage_extract/http/client.hpp"
#include "kbc_storage_extract/retry.hpp"
#include "kbc_storage_extract/transfer/object_store.hpp"

namespace kbc::transfer {

struct RangedGet {
  std::function<http::Request()> make_request;                   // a fresh GET of the object
  std::function<Result<http::Response>(const http::Request&)> send;  // non-2xx already an Error
  std::function<Result<std::uint64_t>()> object_size;           // for resuming a whole-object read
  RetryPolicy retry;
  std::string what;  // "reading s3://bucket/key", for messages
};

Status read_with_resume(const RangedGet& get, ByteRange range, const ByteSink& sink);

}  // namespace kbc::transfer
