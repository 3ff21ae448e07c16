#pragma once
// What every S3 request of one store shares: the HTTP client, the signing key, the bucket's
// base URL and the retry policy. Shared by the store and its uploads.
#include <string>

#include "kbc_storage_extract/http/client.hpp"
#include "kbc_storage_extract/transfer/object_store.hpp"

namespace kbc::transfer::s3 {

struct Connection {
  Connection(const AwsAccess& access, const ObjectStoreOptions& options);

  // A signed request for `key` (empty key = the bucket) with an optional raw query string.
  http::Request request(const std::string& method, const std::string& key, const std::string& query = {}) const;
  // Send once; a non-2xx answer becomes the Error for `what`.
  Result<http::Response> send(const http::Request& request, const std::string& what);
  // Send with retries; only for requests whose body is in memory (never a streamed part).
  Result<http::Response> send_retried(const http::Request& request, const std::string& what);
  // "s3://bucket/key", for messages.
  std::string describe(const std::string& key) const;

  AwsAccess access;
  ObjectStoreOptions options;
  std::string bucket_url;
  http::Client client;
};

}  // namespace kbc::transfer::s3
