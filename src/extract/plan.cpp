#include "kbc_storage_extract/extract/plan.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace kbc::extract {

namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

const char* to_string(Action action) {
  switch (action) {
    case Action::create: return "create";
    case Action::replace: return "replace";
    case Action::append: return "append";
    case Action::upsert: return "upsert";
  }
  return "replace";
}

Action decide_action(bool destination_exists, bool incremental, const std::vector<std::string>& configured_primary_key,
                     const std::vector<std::string>& destination_primary_key) {
  if (!destination_exists) return Action::create;
  if (!incremental) return Action::replace;
  const bool has_key = !configured_primary_key.empty() || !destination_primary_key.empty();
  return has_key ? Action::upsert : Action::append;
}

std::vector<std::string> closest_names(const std::string& name, const std::vector<std::string>& candidates,
                                       std::size_t limit) {
  const std::string wanted = lower(name);
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const auto& candidate : candidates) {
    const std::string c = lower(candidate);
    const bool contains = c.find(wanted) != std::string::npos || wanted.find(c) != std::string::npos;
    const std::size_t distance = edit_distance(wanted, c);
    // Far-off names are noise: keep substrings and names within about half the length.
    if (!contains && distance > std::max<std::size_t>(2, wanted.size() / 2)) continue;
    scored.emplace_back(contains ? 0 : distance, candidate);
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < scored.size() && i < limit; ++i) out.push_back(scored[i].second);
  return out;
}

Result<std::vector<SelectedTable>> select_tables(const Config& config, const std::vector<std::string>& only) {
  std::vector<std::string> configured;
  for (const auto& table : config.tables) configured.push_back(table.name);
  for (const auto& name : only) {
    if (std::find(configured.begin(), configured.end(), name) != configured.end()) continue;
    const auto near = closest_names(name, configured);
    std::string hint = "--table takes a table name from the config's \"tables\"";
    if (!near.empty()) {
      hint += "; did you mean ";
      for (std::size_t i = 0; i < near.size(); ++i) hint += (i ? ", " : "") + ("\"" + near[i] + "\"");
    }
    return make_error(ErrorKind::invalid_input, fmt::format("--table {}: no such table in {}", name, config.file.string()), hint);
  }
  std::vector<SelectedTable> selected;
  for (const auto& table : config.tables) {
    SelectedTable entry{table, true, {}};
    if (!only.empty()) {
      if (std::find(only.begin(), only.end(), table.name) == only.end()) {
        entry.selected = false;
        entry.skip_reason = "not selected with --table";
      }
    } else if (!table.enabled) {
      entry.selected = false;
      entry.skip_reason = "disabled";
    }
    selected.push_back(std::move(entry));
  }
  return selected;
}

std::optional<storage_api::TimePoint> resolve_changed_since(const TableConfig& table, storage_api::TimePoint now) {
  if (!table.changed_since) return std::nullopt;
  return table.changed_since->resolve(now);
}

TablePlan make_plan(const TableConfig& table, const storage_api::TableDetail& source,
                    const std::optional<storage_api::TableDetail>& destination, const std::string& destination_bucket,
                    storage_api::TimePoint now) {
  TablePlan plan;
  plan.config = table;
  if (table.full_sync) {
    // The platform component's fullSync: the source's own key, the content replaced.
    plan.config.primary_key = source.primary_key;
    plan.config.incremental = false;
  }
  plan.source = source;
  plan.destination = destination;
  plan.destination_table_id = destination_bucket + "." + (table.destination.empty() ? table.name : table.destination);
  plan.changed_since = resolve_changed_since(table, now);
  const std::vector<std::string> no_key;
  plan.action = decide_action(destination.has_value(), plan.config.incremental, plan.config.primary_key,
                              destination ? destination->primary_key : no_key);
  plan.change_primary_key = destination && !plan.config.primary_key.empty() && destination->primary_key != plan.config.primary_key;
  // fullSync follows the source also when it has no key: the destination's is removed.
  if (table.full_sync && destination && plan.config.primary_key.empty() && !destination->primary_key.empty())
    plan.change_primary_key = true;
  return plan;
}

}  // namespace kbc::extract
