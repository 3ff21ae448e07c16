#pragma once
// What every GCS request of one store shares: the HTTP client, the bearer token, the endpoint,
// the bucket and the retry policy. Shared by the store and its uploads.
#include <string>

#include "kbc_storage_extract/http/client.hpp"
#include "kbc_storage_extract/transfer/object_store.hpp"
#include "../renewable_access.hpp"

namespace kbc::transfer::gcs {

struct Connection {
  Connection(const GcsAccess& access, const ObjectStoreOptions& options);

  // A request to `url` (a JSON API URL or a resumable session URI).
  http::Request request(const std::string& method, const std::string& url) const;
  // {endpoint}/storage/v1/b/{bucket}/o/{key} + optional query.
  std::string object_url(const std::string& key, const std::string& query = {}) const;
  // {endpoint}/upload/storage/v1/b/{bucket}/o?uploadType=TYPE&name={key}
  std::string upload_url(const std::string& key, const std::string& upload_type) const;
  // Send once with the bearer token; a non-2xx answer (other than those in `also_ok`) becomes
  // the Error for `what`. An expired token is renewed (ObjectStoreOptions::refresh_access) and a
  // request with its body in memory is sent once more; a streamed one fails as transient.
  Result<http::Response> send(const http::Request& request, const std::string& what, std::initializer_list<int> also_ok = {});
  // Send once without a token: a resumable session URI is its own credential.
  Result<http::Response> send_to_session(const http::Request& request, const std::string& what,
                                         std::initializer_list<int> also_ok = {});
  // Send with retries; only for requests whose body is in memory (never a streamed part).
  Result<http::Response> send_retried(const http::Request& request, const std::string& what);
  // "gs://bucket/key": the manifest URL form, also used in messages.
  std::string url_of(const std::string& key) const;

  GcsAccess access;  // the bucket; the token in use is `credentials`'
  ObjectStoreOptions options;
  std::string endpoint;
  RenewableAccess<GcsAccess> credentials;
  http::Client client;
};

}  // namespace kbc::transfer::gcs
