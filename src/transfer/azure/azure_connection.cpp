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
      options(options_), credentials(access_, options_.refresh_access), client(options_.limits) {}

http::Request Connection::request(const std::string& method, const std::string& blob, const std::string& extra_query) const {
  http::Request request;
  request.method = method;
  // Until send() puts the SAS in: the blob and the extra query, as "blob?query".
  request.url = blob + "?" + extra_query;
  request.headers.emplace_back("x-ms-version", k_api_version);
  return request;
}

Result<http::Response> Connection::send(const http::Request& unsigned_request, const std::string& what) {
  return send_renewing(credentials, static_cast<bool>(unsigned_request.upload_source),
                       [&](const AzureAccess& current) -> Result<http::Response> {
                         auto sas = sas_connection(current, options.endpoint);
                         if (!sas) return sas.error();
                         http::Request request = unsigned_request;
                         const auto question = unsigned_request.url.find('?');
                         request.url = blob_url(*sas, access.container, unsigned_request.url.substr(0, question),
                                                unsigned_request.url.substr(question + 1));
                         spdlog::debug("Azure {} {}", request.method, http::redact_url(request.url));
                         auto response = client.send(request);
                         if (!response) {
                           response.error().message = what + ": " + response.error().message;
                           return response.error();
                         }
                         if (response->status >= 200 && response->status < 300) return response;
                         return to_error(*response, what, sas_expiry(sas->sas));
                       });
}

Result<http::Response> Connection::send_retried(const http::Request& request, const std::string& what) {
  return with_retries(options.retry, what, [&] { return send(request, what); });
}

std::string Connection::url_of(const std::string& blob) const { return manifest_prefix(account, access.container) + blob; }

}  // namespace kbc::transfer::azure
