#pragma once
// The two ways an object gets into GCS: one media upload (objects up to one part) or a
// resumable upload session whose chunks (one per part) go up in order.
#include <memory>
#include <string>

#include "gcs_connection.hpp"

namespace kbc::transfer::gcs {

std::unique_ptr<ObjectUpload> media_upload(std::shared_ptr<Connection> connection, std::string key, std::uint64_t size);

// Starts the resumable session (POST uploadType=resumable) and returns the handle for its parts.
Result<std::unique_ptr<ObjectUpload>> start_resumable_upload(std::shared_ptr<Connection> connection, std::string key,
                                                             std::uint64_t size, std::uint64_t part_size);

}  // namespace kbc::transfer::gcs
