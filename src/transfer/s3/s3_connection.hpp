#pragma once
// What every S3 request of one store shares: the HTTP client, the signing key, the bucket's
// base URL and the retry policy. Shared by the store and its uploads.
#include <string>

#include "kbc_storage_extract/http/client.hpp"
#include "kbc_storage_extract/transfer/object_store.hpp"
#include "kbc_storage_extract/transfer/s3/sigv4.hpp"
#include "../renewable_access.hpp"

namespace kbc::transfer::s3 {

struct Connection {
  Connection(const AwsAccess& access, const ObjectStoreOptions& options);

  // A request for `key` (empty key = the bucket) with an optional raw query string; it is
  // signed by send(), just before it goes out, so that a retry carries a fresh signature.
  http::Request request(const std::string& method, const std::string& key, const std::string& query = {}) const;
  // Sign and send once; a non-2xx answer becomes the Error for `what` (S3's error map).
  // Expired credentials are renewed (ObjectStoreOptions::refresh_access) and a request with its
  // body in memory is sent once more; a streamed one fails as transient, to be sent again.
  Result<http::Response> send(const http::Request& request, const std::string& what);
  // Send with retries; only for requests whose body is in memory (never a streamed part).
  Result<http::Response> send_retried(const http::Request& request, const std::string& what);
  // "s3://bucket/key": the manifest URL form, also used in messages.
  std::string url_of(const std::string& key) const;

  AwsAccess access;  // bucket, region and encryption; the credentials in use are `credentials`'
  ObjectStoreOptions options;
  std::string bucket_url;
  RenewableAccess<AwsAccess> credentials;
  http::Client client;
};

}  // namespace kbc::transfer::s3
