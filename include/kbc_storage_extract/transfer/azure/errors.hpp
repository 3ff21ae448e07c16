#pragma once
// The Azure Blob backend's error map: the error code (XML <Code> or the x-ms-error-code header,
// which also comes with bodiless HEAD answers) refines the HTTP status.
#include <chrono>
#include <optional>
#include <string>

#include "kbc_storage_extract/http/client.hpp"

namespace kbc::transfer::azure {

// An authentication or authorisation refusal is credentials_expired when the SAS's time is up
// (the service says so, or `sas_expiry` has passed: azurite and some Azure answers do not
// say why), else permission; ServerBusy throttled; BlobNotFound/ContainerNotFound not_found.
Error to_error(const http::Response& response, const std::string& what,
               std::optional<std::chrono::system_clock::time_point> sas_expiry = std::nullopt);

}  // namespace kbc::transfer::azure
