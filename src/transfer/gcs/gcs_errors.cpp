#include <nlohmann/json.hpp>

#include "kbc_storage_extract/transfer/gcs/errors.hpp"

namespace kbc::transfer::gcs {

Error to_error(const http::Response& response, const std::string& what) {
  Error error = http::error_from_response(response, what);
  std::string reason;
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_object() && body.contains("error") && body["error"].is_object()) {
    const auto& detail = body["error"];
    if (detail.contains("message") && detail["message"].is_string())
      error.message = what + ": " + http::redact_url(detail["message"].get<std::string>());
    if (detail.contains("errors") && detail["errors"].is_array() && !detail["errors"].empty() &&
        detail["errors"][0].is_object() && detail["errors"][0].contains("reason") && detail["errors"][0]["reason"].is_string())
      reason = detail["errors"][0]["reason"].get<std::string>();
  }
  error.api_code = reason;
  if (error.request_id.empty()) error.request_id = response.header("x-guploader-uploadid").value_or("");
  if (response.status == 401) {
    error.kind = ErrorKind::credentials_expired;
    error.hint = "the temporary GCS access token is no longer valid; the tool asks the Storage API for a fresh one "
                 "once, so if this persists check that the Storage API token belongs to this stack";
  } else if (reason == "rateLimitExceeded" || reason == "userRateLimitExceeded" || reason == "backendError") {
    error.kind = reason == "backendError" ? ErrorKind::server : ErrorKind::throttled;
  } else if (response.status == 403) {
    error.hint = "the temporary GCS token does not allow this object; the file may belong to another project";
  }
  return error;
}

}  // namespace kbc::transfer::gcs
