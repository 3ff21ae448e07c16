#pragma once
// Storage API JSON shapes of tokens, buckets, tables, files and jobs (storage-api.md §1, §5,
// §7, §9, §10).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/entities.hpp"
#include "services.hpp"

namespace kbc::emulator {

nlohmann::json project_json(const Project& project, const std::string& file_storage_provider = "aws");
nlohmann::json token_json(Services& services, const Token& token, const Project& project, bool with_token_string);
nlohmann::json bucket_json(Services& services, const Bucket& bucket);
// With the bucket's tables already read: a listing computes its bucket's totals once, not once a
// table (that made a 1,000-table listing quadratic: 9 s).
nlohmann::json bucket_json(Services& services, const Bucket& bucket, const std::vector<TableMeta>& tables);
nlohmann::json table_json(Services& services, const TableMeta& table, const Bucket& bucket, bool with_columns);
// With the table's bucket already serialized (see bucket_json above).
nlohmann::json table_json(Services& services, const TableMeta& table, const nlohmann::json& bucket, bool with_columns);
nlohmann::json job_json(Services& services, const Job& job);
// {id (a string), key, value, provider, timestamp} (apiary.apib "Table Metadata").
nlohmann::json metadata_json(const MetadataItem& item);
// The table's own items, and its columns' items grouped by column name ([] when none, as PHP
// encodes an empty map and keboola-sdk-go's ColumnsMetadata accepts).
nlohmann::json table_metadata_json(Services& services, const TableMeta& table);
nlohmann::json columns_metadata_json(Services& services, const TableMeta& table);
nlohmann::json event_json(const TokenEvent& event, const Token& token);

std::string region_url(Services& services, const std::string& region);

}  // namespace kbc::emulator
