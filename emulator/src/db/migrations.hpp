#pragma once
// Columns added to the metadata schema after a --data directory may already have been
// written: added in place on open, so older directories keep loading.
#include "db/sqlite.hpp"

namespace kbc::emulator::db {

// Adds every column of kAddedColumns that a table lacks (new and old files alike).
void add_missing_columns(Connection& connection);

}  // namespace kbc::emulator::db
