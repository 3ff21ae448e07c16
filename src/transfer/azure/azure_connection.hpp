#pragma once
// What every Azure Blob request of one store shares: the HTTP client, the SAS (renewable), the
// container and the retry policy. Shared by the store and its uploads.
#include <string>

#include "../renewable_access.hpp"
#include "kbc_storage_extract/http/client.hpp"
#include "kbc_storage_extract/transfer/azure/addressing.hpp"
#include "kbc_storage_extract/transfer/object_store.hpp"

namespace kbc::transfer::azure {

inline constexpr const char* k_api_version = "2021-08-06";  // x-ms-version of every request

struct Connection {
  Connection(const AzureAccess& access, SasConnection sas, const ObjectStoreOptions& options);

  // A request on `blob` with an extra query ("comp=block&blockid=…"). Its url holds
  // "blob?query" until send() builds the real URL with the SAS in use (renewable mid-copy).
  http::Request request(const std::string& method, const std::string& blob, const std::string& extra_query = {}) const;
  // Send once; a non-2xx answer becomes the Error for `what` (Azure's error map). An expired
  // SAS is renewed (ObjectStoreOptions::refresh_access): a request with its body in memory is
  // sent once more, a streamed one fails as transient for copy_object to send again.
  Result<http::Response> send(const http::Request& request, const std::string& what);
  Result<http::Response> send_retried(const http::Request& request, const std::string& what);
  // "azure://account.blob.core.windows.net/container/blob": the manifest URL form.
  std::string url_of(const std::string& blob) const;

  AzureAccess access;  // account and container; the SAS in use is `credentials`'
  std::string account;
  ObjectStoreOptions options;
  RenewableAccess<AzureAccess> credentials;
  http::Client client;
};

// The endpoint and SAS of `access`, with ObjectStoreOptions::endpoint replacing BlobEndpoint.
Result<SasConnection> sas_connection(const AzureAccess& access, const std::string& override_endpoint);

}  // namespace kbc::transfer::azure
