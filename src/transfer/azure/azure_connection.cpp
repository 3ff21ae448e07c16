#include "azure_connection.hpp"

#include <spdlog/spdlog.h>

#include "kbc_storage_extract/transfer/azure/errors.hpp"

namespace kbc::transfer::azure {

Result<SasConnection> sas_connection(const AzureAccess& access, const std::string& override_endpoint) {
  auto parsed = parse_sas_connection_string(access.sas_connection_string.reveal());
  if (!parsed) return parsed.error();
  if (!override_endpoint.empty()) {
    parsed->blob_endpoint = override_endpoint;
    while (!parsed->blob_endpoint.empty() && parsed->blob_endpoint.back() == '/') parsed->blob_endpoint.pop_back();
  }
  return parsed;
}

Connection::Connection(const AzureAccess& access_, SasConnection sas, const ObjectStoreOptions& options_)
    : access(access_), account(access_.account.empty() ? account_of(sas.blob_endpoint) : access_.account),
      options(options_), credentials(access_, options_.refresh_access) {}

http::Request Connection::request(const std::string& method, const std::string& blob, const std::string& extra_query) const {
  http::Request request;
  request.method = method;
  // Until send() puts the SAS in: the blob and the extra query, as "blob?query".
  request.url = blob + "?" + extra_query;
  request.headers.emplace_back("x-ms-version", k_api_version);
  return request;
}

Result<std::string> Connection::signed_url(const AzureAccess& current, const std::string& blob_and_query) const {
  auto sas = sas_connection(current, options.endpoint);
  if (!sas) return sas.error();
  const auto question = blob_and_query.find('?');
  return blob_url(*sas, access.container, blob_and_query.substr(0, question), blob_and_query.substr(question + 1));
}

Result<http::Response> Connection::send(const http::Request& unsigned_request, const std::string& what) {
  for (bool renewed = false;; renewed = true) {
    const auto snapshot = credentials.snapshot();
    http::Request request = unsigned_request;
    auto url = signed_url(snapshot.access, unsigned_request.url);
    if (!url) return url.error();
    request.url = std::move(*url);
    spdlog::debug("Azure {} {}", request.method, http::redact_url(request.url));
    auto response = client.send(request);
    if (!response) {
      auto error = std::move(response.error());
      error.message = what + ": " + error.message;
      return error;
    }
    if (response->status >= 200 && response->status < 300) return response;
    const auto sas = sas_connection(snapshot.access, options.endpoint);
    Error error = to_error(*response, what, sas ? sas_expiry(sas->sas) : std::nullopt);
    if (error.kind != ErrorKind::credentials_expired || renewed || !credentials.renewable()) return error;
    if (auto fresh = credentials.renew(snapshot.generation); !fresh) {
      error.hint += "; asking the Storage API for a fresh one failed: " + fresh.error().describe();
      return error;
    }
    if (unsigned_request.upload_source) return part_to_send_again(std::move(error));
  }
}

Result<http::Response> Connection::send_retried(const http::Request& request, const std::string& what) {
  return with_retries(options.retry, what, [&] { return send(request, what); });
}

std::string Connection::url_of(const std::string& blob) const { return manifest_prefix(account, access.container) + blob; }

}  // namespace kbc::transfer::azure
