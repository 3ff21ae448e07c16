#pragma once
// One table, source to destination: export-async (changedSince, gzip) -> streamed file
// transfer -> (create the table | set its primary key) -> import-async. Nothing is written to
// the destination table before the data is complete in the destination's file storage, and the
// import itself is atomic: a failure leaves the table as it was (a created table stays empty).
#include <cstdint>
#include <vector>
#include <optional>
#include <string>

#include "kbc_storage_extract/extract/file_transfer.hpp"
#include "kbc_storage_extract/extract/plan.hpp"
#include "kbc_storage_extract/progress/events.hpp"
#include "kbc_storage_extract/state/run_state.hpp"
#include "kbc_storage_extract/report/report.hpp"
#include "kbc_storage_extract/storage_api/client.hpp"

namespace kbc::extract {

// The two projects a run connects and how it moves bytes.
struct Extraction {
  storage_api::StorageClient& source;
  storage_api::StorageClient& destination;
  std::string source_bucket;       // the source token's one bucket
  std::string destination_bucket;  // config destination.bucket
  TransferOptions transfer;
  state::RunState* state = nullptr;  // the journal and bookmarks; null: none (dry runs, tests)
  progress::Sink* progress = nullptr;  // the run's progress consumers; null: none
};

struct TableCopy {
  // Rows moved, from where the Storage API reports them (see rows_moved in table_copier.cpp);
  // counted in transit only for an incremental load of changed rows.
  std::optional<std::uint64_t> rows;
  std::optional<std::uint64_t> destination_rows;   // the table's rows after the import (totalRowsCount)
  std::uint64_t bytes = 0;            // bytes moved between the file storages
  std::size_t slices = 0;             // objects moved
  std::size_t checksums_verified = 0;  // of them, those whose MD5 matched the source storage's
  std::string destination_table_id;
  report::TablePhases phases;
  report::TableIds ids;
  std::size_t metadata_items = 0;     // "copyMetadata": table and column items set on the destination
  std::vector<std::string> warnings;  // e.g. rows merged by a key the data does not keep unique
};

// `progress` is told the phases, jobs, file and bytes as they come.
Result<TableCopy> copy_table(const TablePlan& plan, Extraction& extraction, const progress::TableProgress& progress = {});

}  // namespace kbc::extract
