#include "kbc_storage_extract/transfer/s3/errors.hpp"

namespace kbc::transfer::s3 {

Error to_error(const http::Response& response, const std::string& what) {
  Error error = http::error_from_response(response, what);
  if (error.request_id.empty()) error.request_id = response.header("x-amz-request-id").value_or("");
  const auto& code = error.api_code;
  if (code == "ExpiredToken" || code == "TokenRefreshRequired") {
    error.kind = ErrorKind::credentials_expired;
    error.hint = "the temporary S3 credentials expired; the tool asks the Storage API for fresh ones once, so if this "
                 "persists check the clock of this machine";
  } else if (code == "InvalidAccessKeyId" || code == "SignatureDoesNotMatch" || code == "InvalidToken") {
    error.kind = ErrorKind::permission;
    error.hint = "the storage credentials were not accepted; check the clock of this machine and that the "
                 "Storage API token belongs to this stack";
  } else if (code == "AccessDenied") {
    error.hint = "the temporary credentials do not allow this object; the file may belong to another project";
  } else if (code == "PermanentRedirect" || code == "AuthorizationHeaderMalformed" || code == "IllegalLocationConstraintException") {
    error.kind = ErrorKind::protocol;
    error.hint = "the bucket is in another region than the Storage API said; check that the Storage API URL "
                 "belongs to the stack of this token";
  } else if (code == "SlowDown") {
    error.kind = ErrorKind::throttled;
  } else if (code == "RequestTimeout") {
    error.kind = ErrorKind::transient;
  } else if (code == "InternalError") {
    error.kind = ErrorKind::server;
  } else if (code == "NoSuchBucket" || code == "NoSuchKey" || code == "NoSuchUpload") {
    error.kind = ErrorKind::not_found;
  }
  return error;
}

}  // namespace kbc::transfer::s3
