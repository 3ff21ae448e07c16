#pragma once
// Imports that happen once. An import is journalled in the run state before it is asked for;
// when the answer to import-async is lost, the job it created is found again in the job list
// (by the file it reads) and waited for, so an import that happened is never reported as
// failed and never sent twice. When the end of a job cannot be seen at all (the API is down),
// the journal keeps it and the next run settles it before it copies that table again.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kbc_storage_extract/progress/events.hpp"
#include "kbc_storage_extract/result.hpp"
#include "kbc_storage_extract/state/run_state.hpp"
#include "kbc_storage_extract/storage_api/client.hpp"

namespace kbc::extract {

// The tableImport job reading `file_id` into `table_id`, searched newest first among the
// project's jobs created since `not_before` (server clock, with a margin); nullopt when none.
Result<std::optional<storage_api::Job>> find_import_job(storage_api::StorageClient& destination,
                                                        const std::string& table_id, std::int64_t file_id,
                                                        std::optional<storage_api::TimePoint> not_before);

struct ImportRequest {
  std::string table_id;
  storage_api::ImportOptions options;
  state::TableState identity;                         // source and destination the table belongs to
  std::optional<storage_api::TimePoint> window_end;   // the bookmark a success sets
  std::chrono::milliseconds* poll_slack = nullptr;    // gets the wait before the poll that saw the job end
  const progress::TableProgress* progress = nullptr;  // told the import job's id
};

// Start the import and wait for it, journalled in `state` (may be null: no journal).
Result<storage_api::Job> import_once(storage_api::StorageClient& destination, state::RunState* state,
                                     const ImportRequest& request);

// Before a run copies anything: every import the state still has in flight (from a run that
// was killed or lost sight of its job) is waited for or found to have never started. The
// result maps destination table id to the error for each import that could not be settled:
// those tables must not be copied again in this run.
std::map<std::string, Error> settle_in_flight(storage_api::StorageClient& destination, state::RunState& state,
                                              const std::string& destination_url);

}  // namespace kbc::extract
