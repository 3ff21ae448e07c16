#include "kbc_storage_extract/transfer/azure/errors.hpp"

namespace kbc::transfer::azure {

namespace {

bool mentions(const std::string& text, const char* word) { return text.find(word) != std::string::npos; }

}  // namespace

Error to_error(const http::Response& response, const std::string& what,
               std::optional<std::chrono::system_clock::time_point> sas_expiry) {
  Error error = http::error_from_response(response, what);
  if (error.api_code.empty()) error.api_code = response.header("x-ms-error-code").value_or("");
  if (error.request_id.empty()) error.request_id = response.header("x-ms-request-id").value_or("");
  const std::string detail = http::xml_field(response.body, "AuthenticationErrorDetail") + " " + error.message;
  const auto& code = error.api_code;
  const bool refused = code == "AuthenticationFailed" || code == "AuthorizationFailure";
  const bool out_of_time = mentions(detail, "xpir") || mentions(detail, "time frame") ||
                           (sas_expiry && *sas_expiry <= std::chrono::system_clock::now());
  if (refused && out_of_time) {
    error.kind = ErrorKind::credentials_expired;
    error.hint = "the temporary SAS expired; the tool asks the Storage API for a fresh one once, so if this persists "
                 "check the clock of this machine";
  } else if (code == "AuthenticationFailed" || code == "AuthorizationFailure" || code == "AuthorizationPermissionMismatch" ||
             code == "AuthorizationResourceTypeMismatch" || code == "AuthorizationProtocolMismatch") {
    error.kind = ErrorKind::permission;
    error.hint = "the SAS was not accepted for this blob; the file may belong to another project, or the Storage API "
                 "token to another stack";
  } else if (code == "ServerBusy") {
    error.kind = ErrorKind::throttled;
  } else if (code == "OperationTimedOut" || code == "InternalError") {
    error.kind = ErrorKind::server;
  } else if (code == "BlobNotFound" || code == "ContainerNotFound" || code == "ResourceNotFound") {
    error.kind = ErrorKind::not_found;
  } else if (code == "InvalidBlockList" || code == "InvalidBlockId" || code == "InvalidBlobOrBlock") {
    error.kind = ErrorKind::protocol;
  }
  return error;
}

}  // namespace kbc::transfer::azure
