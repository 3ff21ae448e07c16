#include "s3_connection.hpp"

#include <spdlog/spdlog.h>

#include "kbc_storage_extract/transfer/s3/addressing.hpp"
#include "kbc_storage_extract/transfer/s3/errors.hpp"

namespace kbc::transfer::s3 {

namespace {

sigv4::SigningKey signing_key_of(const AwsAccess& access) {
  sigv4::SigningKey key;
  key.region = access.region;
  key.service = "s3";
  key.access_key_id = access.access_key_id;
  key.secret_access_key = access.secret_access_key;
  key.session_token = access.session_token;
  return key;
}

}  // namespace

Connection::Connection(const AwsAccess& access_, const ObjectStoreOptions& options_)
    : access(access_), options(options_), bucket_url(s3::bucket_url(access_, options_.endpoint)),
      credentials(access_, options_.refresh_access), client(options_.limits) {}

http::Request Connection::request(const std::string& method, const std::string& key, const std::string& query) const {
  http::Request request;
  request.method = method;
  request.url = key.empty() ? bucket_url + "/" : object_url(bucket_url, key);
  if (!query.empty()) request.url += "?" + query;
  return request;
}

Result<http::Response> Connection::send(const http::Request& unsigned_request, const std::string& what) {
  spdlog::debug("S3 {} {}", unsigned_request.method, http::redact_url(unsigned_request.url));
  return send_renewing(credentials, static_cast<bool>(unsigned_request.upload_source),
                       [&](const AwsAccess& current) -> Result<http::Response> {
                         http::Request request = unsigned_request;
                         if (auto signed_ok = sigv4::sign_request(request, signing_key_of(current), std::chrono::system_clock::now()); !signed_ok)
                           return signed_ok.error();
                         auto response = client.send(request);
                         if (!response) {
                           response.error().message = what + ": " + response.error().message;
                           return response.error();
                         }
                         if (response->status >= 200 && response->status < 300) return response;
                         return to_error(*response, what);
                       });
}

Result<http::Response> Connection::send_retried(const http::Request& request, const std::string& what) {
  return with_retries(options.retry, what, [&] { return send(request, what); });
}

std::string Connection::url_of(const std::string& key) const { return "s3://" + access.bucket + "/" + key; }

}  // namespace kbc::transfer::s3
