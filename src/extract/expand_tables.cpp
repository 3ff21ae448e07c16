#include "kbc_storage_extract/extract/expand_tables.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

namespace kbc::extract {

bool glob_match(std::string_view pattern, std::string_view name) {
  // Iterative with one backtrack point: linear enough for table names (at most 96 chars).
  std::size_t p = 0, n = 0, star = std::string_view::npos, resume = 0;
  while (n < name.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
      ++p, ++n;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool has_globs(const Config& config) {
  return std::any_of(config.tables.begin(), config.tables.end(), [](const auto& t) { return t.is_glob; });
}

Expansion expand_tables(const std::vector<TableConfig>& configured, std::vector<std::string> source_names,
                        const std::string& source_bucket) {
  std::sort(source_names.begin(), source_names.end());  // a stable order whatever the listing's
  std::set<std::string> taken, explicit_destinations;
  for (const auto& table : configured) {
    if (table.is_glob) continue;
    taken.insert(table.name);
    explicit_destinations.insert(table.destination.empty() ? table.name : table.destination);
  }
  Expansion out;
  for (const auto& entry : configured) {
    if (!entry.is_glob) {
      out.tables.push_back(entry);
      continue;
    }
    std::size_t matched = 0;
    for (const auto& name : source_names) {
      if (!glob_match(entry.name, name)) continue;
      if (std::any_of(entry.exclude.begin(), entry.exclude.end(), [&](const auto& x) { return glob_match(x, name); })) continue;
      ++matched;
      if (taken.count(name)) continue;  // an explicit entry or an earlier glob has it
      if (explicit_destinations.count(name)) {
        out.warnings.push_back(fmt::format("{}: {} matches \"{}\" but its destination table is written by an explicit "
                                           "entry; left out", entry.json_path, name, entry.name));
        continue;
      }
      taken.insert(name);
      TableConfig table = entry;
      table.name = table.destination = name;
      table.is_glob = false;
      table.exclude.clear();
      table.glob = entry.name;
      out.tables.push_back(std::move(table));
    }
    if (matched == 0)
      out.warnings.push_back(fmt::format("{}: \"{}\" matches no table of {}{}", entry.json_path, entry.name, source_bucket,
                                         entry.exclude.empty() ? "" : " (after exclude)"));
  }
  return out;
}

}  // namespace kbc::extract
