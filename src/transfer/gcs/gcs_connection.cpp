#include "gcs_connection.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "kbc_storage_extract/transfer/gcs/addressing.hpp"
#include "kbc_storage_extract/transfer/gcs/errors.hpp"

namespace kbc::transfer::gcs {

Connection::Connection(const GcsAccess& access_, const ObjectStoreOptions& options_)
    : access(access_), options(options_), endpoint(gcs::endpoint(options_.endpoint)),
      credentials(access_, options_.refresh_access), client(options_.limits) {}

http::Request Connection::request(const std::string& method, const std::string& url) const {
  http::Request request;
  request.method = method;
  request.url = url;
  return request;
}

std::string Connection::object_url(const std::string& key, const std::string& query) const {
  return gcs::object_url(endpoint, access.bucket, key) + (query.empty() ? "" : "?" + query);
}

std::string Connection::upload_url(const std::string& key, const std::string& upload_type) const {
  return endpoint + "/upload/storage/v1/b/" + encode_object_name(access.bucket) + "/o?uploadType=" + upload_type +
         "&name=" + encode_object_name(key);
}

namespace {

bool accepted(int status, std::initializer_list<int> also_ok) {
  if (status >= 200 && status < 300) return true;
  return std::find(also_ok.begin(), also_ok.end(), status) != also_ok.end();
}

}  // namespace

Result<http::Response> Connection::send_to_session(const http::Request& request, const std::string& what,
                                                   std::initializer_list<int> also_ok) {
  // The session URI is the upload's credential: never logged.
  auto response = client.send(request);
  if (!response) {
    auto error = std::move(response.error());
    error.message = what + ": " + error.message;
    return error;
  }
  if (accepted(response->status, also_ok)) return response;
  return to_error(*response, what);
}

Result<http::Response> Connection::send(const http::Request& unauthorised, const std::string& what, std::initializer_list<int> also_ok) {
  spdlog::debug("GCS {} {}", unauthorised.method, http::redact_url(unauthorised.url));
  return send_renewing(credentials, static_cast<bool>(unauthorised.upload_source),
                       [&](const GcsAccess& current) -> Result<http::Response> {
                         http::Request request = unauthorised;
                         const auto& type = current.token_type;
                         request.headers.emplace_back("Authorization",
                                                      (type.empty() ? "Bearer" : type) + " " + current.access_token.reveal());
                         return send_to_session(request, what, also_ok);
                       });
}

Result<http::Response> Connection::send_retried(const http::Request& request, const std::string& what) {
  return with_retries(options.retry, what, [&] { return send(request, what); });
}

std::string Connection::url_of(const std::string& key) const { return "gs://" + access.bucket + "/" + key; }

}  // namespace kbc::transfer::gcs
