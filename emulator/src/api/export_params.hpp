#pragma once
// The export options of export-async and data-preview (apiary "Unload Data Asynchronously":
// columns, changedSince/changedUntil, limit, whereColumn/whereValues/whereOperator, whereFilters),
// validated into one query with the Storage API's 400 codes.
#include <cstdint>

#include "api/params.hpp"
#include "data/table_data.hpp"

namespace kbc::emulator {

data::ExportQuery export_query(const Params& params, std::int64_t now);

}  // namespace kbc::emulator
