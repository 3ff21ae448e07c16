#pragma once
// The two ways an object gets into S3: one PUT (objects up to one part) or a multipart upload.
#include <memory>
#include <string>

#include "s3_connection.hpp"

namespace kbc::transfer::s3 {

std::unique_ptr<ObjectUpload> single_put_upload(std::shared_ptr<Connection> connection, std::string key, std::uint64_t size);

// Starts the multipart upload (CreateMultipartUpload) and returns the handle for its parts.
Result<std::unique_ptr<ObjectUpload>> start_multipart_upload(std::shared_ptr<Connection> connection, std::string key,
                                                             std::uint64_t size, std::uint64_t part_size);

// x-amz-server-side-encryption when the Storage API asked for it.
void add_encryption_header(const Connection& connection, http::Request& request);

}  // namespace kbc::transfer::s3
