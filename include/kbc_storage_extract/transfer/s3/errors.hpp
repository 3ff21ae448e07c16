#pragma once
// The S3 backend's error map: which S3 answers mean what, beyond their HTTP status.
#include <string>

#include "kbc_storage_extract/http/client.hpp"

namespace kbc::transfer::s3 {

// A non-2xx S3 answer as a typed Error: the status first (http::error_from_response), then the
// XML <Code> refines it (ExpiredToken = credentials_expired, SlowDown = throttled, …).
Error to_error(const http::Response& response, const std::string& what);

}  // namespace kbc::transfer::s3
