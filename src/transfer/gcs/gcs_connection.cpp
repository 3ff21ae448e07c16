#include "gcs_connection.hpp"

#include <spdlog/spdlog.h>

#include "kbc_storage_extract/transfer/gcs/addressing.hpp"
#include "kbc_storage_extract/transfer/gcs/errors.hpp"

namespace kbc::transfer::gcs {

Connection::Connection(const GcsAccess& access_, const ObjectStoreOptions& options_)
    : access(access_), options(options_), endpoint(gcs::endpoint(options_.endpoint)) {}

http::Request Connection::request(const std::string& method, const std::string& url) const {
  http::Request request;
  request.method = method;
  request.url = url;
  request.headers.emplace_back("Authorization", (access.token_type.empty() ? "Bearer" : access.token_type) + " " +
                                                    access.access_token.reveal());
  return request;
}

std::string Connection::object_url(const std::string& key, const std::string& query) const {
  return gcs::object_url(endpoint, access.bucket, key) + (query.empty() ? "" : "?" + query);
}

std::string Connection::upload_url(const std::string& key, const std::string& upload_type) const {
  return endpoint + "/upload/storage/v1/b/" + encode_object_name(access.bucket) + "/o?uploadType=" + upload_type +
         "&name=" + encode_object_name(key);
}

Result<http::Response> Connection::send(const http::Request& request, const std::string& what, std::initializer_list<int> also_ok) {
  spdlog::debug("GCS {} {}", request.method, http::redact_url(request.url));
  auto response = client.send(request);
  if (!response) {
    auto error = std::move(response.error());
    error.message = what + ": " + error.message;
    return error;
  }
  const int status = response->status;
  if (status >= 200 && status < 300) return response;
  for (int ok : also_ok)
    if (status == ok) return response;
  return to_error(*response, what);
}

Result<http::Response> Connection::send_retried(const http::Request& request, const std::string& what) {
  return with_retries(options.retry, what, [&] { return send(request, what); });
}

std::string Connection::url_of(const std::string& key) const { return "gs://" + access.bucket + "/" + key; }

}  // namespace kbc::transfer::gcs
