#pragma once
// The out/tables output of component mode: each selected table is exported from the source
// (gzip, changedSince), its slices are written as they are (headerless gzip CSV, never
// inflated or held in memory) into $KBC_DATADIR/out/tables/<destination>.csv/, and then its
// manifest <destination>.csv.manifest: destination, incremental, primary_key, columns (the
// slices have no header, so the platform takes the columns from the manifest).
#include <string>
#include <vector>

#include "kbc_storage_extract/component/component.hpp"
#include "kbc_storage_extract/network_options.hpp"
#include "kbc_storage_extract/result.hpp"
#include "kbc_storage_extract/storage_api/client.hpp"

namespace kbc::component {

struct OutTablesSettings {
  storage_api::TimePoint now;  // every relative changedSince resolves against it
  NetworkOptions network;
};

// Verify the source token (the rules of `run`), then write every enabled table. A failing
// table is logged, its folder removed, and the next one runs. Returns success; partial_failure
// when the failed tables were the configuration's fault (missing table, "auto"), else
// runtime_failure; or the error that stopped everything (token refused, bucket unreadable).
Result<ExitCode> write_out_tables(const Job& job, storage_api::StorageClient& source, const OutTablesSettings& settings);

// The manifest of one table as the platform's output mapping reads it.
std::string table_manifest(const std::string& destination_table_id, bool incremental,
                           const std::vector<std::string>& primary_key, const std::vector<std::string>& columns);

}  // namespace kbc::component
