#pragma once
// The GCS backend's error map: the JSON API's {"error":{"code","message","errors":[{reason}]}}
// bodies as typed Errors.
#include <string>

#include "kbc_storage_extract/http/client.hpp"

namespace kbc::transfer::gcs {

// A non-2xx GCS answer: 401 is credentials_expired (the only credential is the Storage API's
// short-lived OAuth token, and asking for a fresh one is the remedy), rate-limit reasons on
// 403 are throttled, the rest follows the HTTP status.
Error to_error(const http::Response& response, const std::string& what);

}  // namespace kbc::transfer::gcs
