#pragma once
// The two ways a blob gets into Azure: one Put Blob (objects up to one part) or blocks (Put
// Block, from several threads at once) made the blob by one Put Block List.
#include <memory>
#include <string>

#include "azure_connection.hpp"

namespace kbc::transfer::azure {

std::unique_ptr<ObjectUpload> put_blob_upload(std::shared_ptr<Connection> connection, std::string blob, std::uint64_t size);
std::unique_ptr<ObjectUpload> block_upload(std::shared_ptr<Connection> connection, std::string blob, std::uint64_t size,
                                           std::uint64_t part_size);

}  // namespace kbc::transfer::azure
