#pragma once
// `check`: a table's content digest, from a full export streamed through CsvRowDigester.
#include <string>
#include <vector>

#include "kbc_storage_extract/extract/row_digest.hpp"
#include "kbc_storage_extract/result.hpp"
#include "kbc_storage_extract/storage_api/client.hpp"

namespace kbc::commands {

// Export `table_id` (every row, `columns` in this order, so two tables with the same columns
// in another order digest alike), read each slice once and digest its rows.
Result<extract::RowDigest> export_digest(storage_api::StorageClient& client, const std::string& table_id,
                                         const std::vector<std::string>& columns);

}  // namespace kbc::commands
