#include "kbc_storage_extract/extract/metadata_copy.hpp"

#include <map>
#include <set>

#include <spdlog/spdlog.h>

namespace kbc::extract {

namespace {

using storage_api::MetadataItem;

// One request's worth: a provider's table items and column items.
struct ProviderItems {
  std::vector<MetadataItem> table;
  std::map<std::string, std::vector<MetadataItem>> columns;
};

}  // namespace

Result<std::size_t> copy_metadata(storage_api::StorageClient& source, const std::string& source_table_id,
                                  storage_api::StorageClient& destination, const std::string& destination_table_id) {
  auto detail = source.get_table(source_table_id);
  if (!detail) return detail.error();
  std::map<std::string, ProviderItems> by_provider;
  std::size_t count = 0;
  for (const auto& item : detail->metadata) {
    by_provider[item.provider].table.push_back(item);
    ++count;
  }
  for (const auto& [column, items] : detail->column_metadata) {
    for (const auto& item : items) {
      by_provider[item.provider].columns[column].push_back(item);
      ++count;
    }
  }
  for (const auto& [provider, items] : by_provider) {
    if (auto set = destination.set_table_metadata(destination_table_id, provider, items.table, items.columns); !set)
      return set.error();
  }
  spdlog::info("copied {} metadata items of {} to {}", count, source_table_id, destination_table_id);
  return count;
}

}  // namespace kbc::extract
