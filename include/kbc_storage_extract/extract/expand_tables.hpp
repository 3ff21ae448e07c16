#pragma once
// Glob table entries ("name": "orders_*", "*") expanded against the source bucket's tables at
// run time, so that a table added to the source is picked up by the next run.
#include <string>
#include <string_view>
#include <vector>

#include "kbc_storage_extract/config.hpp"

namespace kbc::extract {

// Shell-style: `*` any run of characters (also none), `?` exactly one; the rest literal.
bool glob_match(std::string_view pattern, std::string_view name);

struct Expansion {
  std::vector<TableConfig> tables;    // concrete tables, each with `glob` set to its entry's pattern
  std::vector<std::string> warnings;  // e.g. a glob that matches no table of the bucket
};

// Configuration order; each glob entry is replaced in place by the source tables it matches,
// sorted by name, leaving out its `exclude` matches, tables that have an explicit entry (its
// settings win), tables an earlier glob already took, and tables whose destination an
// explicit entry writes. Entries without a glob pass unchanged.
Expansion expand_tables(const std::vector<TableConfig>& configured, std::vector<std::string> source_names,
                        const std::string& source_bucket);

// Whether any entry of the config is a glob.
bool has_globs(const Config& config);

}  // namespace kbc::extract
