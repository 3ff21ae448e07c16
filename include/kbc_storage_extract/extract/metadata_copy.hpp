#pragma once
// "copyMetadata": true: the source table's and its columns' metadata set on the destination
// table, provider by provider (the API sets items of one provider per request), after the import.
#include <cstddef>
#include <string>

#include "kbc_storage_extract/result.hpp"
#include "kbc_storage_extract/storage_api/client.hpp"

namespace kbc::extract {

// Reads the source table's detail (a listing carries no column metadata) and sets every item
// on `destination_table_id`; returns how many items were set (table and column items).
Result<std::size_t> copy_metadata(storage_api::StorageClient& source, const std::string& source_table_id,
                                  storage_api::StorageClient& destination, const std::string& destination_table_id);

}  // namespace kbc::extract
