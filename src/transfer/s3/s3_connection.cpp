#include "s3_connection.hpp"

#include <spdlog/spdlog.h>

#include "kbc_storage_extract/transfer/s3.hpp"

namespace kbc::transfer::s3 {

Connection::Connection(const AwsAccess& access_, const ObjectStoreOptions& options_)
    : access(access_), options(options_), bucket_url(s3::bucket_url(access_, options_.endpoint)) {}

http::Request Connection::request(const std::string& method, const std::string& key, const std::string& query) const {
  http::Request request;
  request.method = method;
  request.url = key.empty() ? bucket_url + "/" : object_url(bucket_url, key);
  if (!query.empty()) request.url += "?" + query;
  http::AwsSigV4 sign;
  sign.region = access.region;
  sign.service = "s3";
  sign.access_key_id = access.access_key_id;
  sign.secret_access_key = access.secret_access_key;
  sign.session_token = access.session_token;
  request.sign = std::move(sign);
  return request;
}

Result<http::Response> Connection::send(const http::Request& request, const std::string& what) {
  spdlog::debug("S3 {} {}", request.method, http::redact_url(request.url));
  auto response = client.send(request);
  if (!response) {
    auto error = std::move(response.error());
    error.message = what + ": " + error.message;
    return error;
  }
  if (response->status < 200 || response->status >= 300) return http::error_from_response(*response, what);
  return response;
}

Result<http::Response> Connection::send_retried(const http::Request& request, const std::string& what) {
  return with_retries(options.retry, what, [&] { return send(request, what); });
}

std::string Connection::describe(const std::string& key) const { return "s3://" + access.bucket + "/" + key; }

}  // namespace kbc::transfer::s3
