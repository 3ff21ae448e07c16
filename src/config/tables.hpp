#pragma once
// "defaults" and "tables": the per-table settings, with defaults merged in.
#include <vector>

#include "config/json_reader.hpp"

namespace kbc::config {

// "changedSince" as written: a time, "auto" (the run state's bookmark) or null (everything).
struct ChangedSinceSetting {
  std::optional<ChangedSince> since;
  bool automatic = false;
};

// The per-table settings that "defaults" may also give; unset = not given at this level.
struct TableSettings {
  std::optional<bool> enabled;
  std::optional<ChangedSinceSetting> changed_since;
  std::optional<ChangedSince> initial_changed_since;
  std::optional<ChangedSince> changed_until;
  std::optional<bool> incremental;
  std::optional<std::vector<std::string>> primary_key;
  std::optional<bool> full_sync;
  std::optional<bool> copy_metadata;
};

TableSettings read_defaults(const json* value, Issues& issues);
// The tables in order (with `defaults` applied), names and destinations checked for clashes.
std::vector<TableConfig> read_tables(const json& value, const TableSettings& defaults, Issues& issues);

}  // namespace kbc::config
