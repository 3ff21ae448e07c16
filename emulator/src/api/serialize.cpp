#include "api/serialize.hpp"

#include "util/time_format.hpp"

namespace kbc::emulator {

using nlohmann::json;

namespace {
json optional_datetime(const std::optional<std::int64_t>& value) {
  return value ? json(format_datetime(*value)) : json(nullptr);
}
}  // namespace

std::string region_url(Services& services, const std::string& region) {
  auto it = services.region_urls.find(region);
  return it == services.region_urls.end() ? std::string() : it->second;
}

json project_json(const Project& project, const std::string& file_storage_provider) {
  return {{"id", project.id},
          {"name", project.name},
          {"type", project.type},
          {"region", project.region},
          {"created", format_datetime(project.created)},
          {"organization", {{"id", project.organization_id}}},
          {"defaultBackend", "snowflake"},
          {"fileStorageProvider", file_storage_provider},
          {"features", json::array()},
          {"limits", json::object()},
          {"isDisabled", false},
          {"dataRetentionTimeInDays", 1}};
}

json token_json(Services& services, const Token& token, const Project& project, bool with_token_string) {
  json permissions = json::object();
  if (token.sees_all_buckets()) {
    for (const auto& bucket : services.store.list_buckets(project.id)) permissions[bucket.id] = "manage";
  } else {
    for (const auto& [bucket, permission] : token.bucket_permissions) permissions[bucket] = permission;
  }
  json creator = nullptr;
  if (token.creator_token_id) {
    if (auto c = services.store.find_token(project.id, *token.creator_token_id)) {
      creator = {{"id", std::to_string(c->id)}, {"description", c->description}};
    }
  }
  json owner = {{"id", project.id},
                {"name", project.name},
                {"type", project.type},
                {"region", project.region},
                {"features", json::array()},
                {"defaultBackend", "snowflake"},
                {"hasSnowflake", true},
                {"limits", json::object()},
                {"fileStorageProvider", services.provider_of_region(project.region)},
                {"isDisabled", false}};
  json out = {{"id", std::to_string(token.id)},
              {"description", token.description},
              {"uri", region_url(services, project.region) + "/v2/storage/tokens/" + std::to_string(token.id)},
              {"created", format_datetime(token.created)},
              {"refreshed", format_datetime(token.refreshed)},
              {"expires", optional_datetime(token.expires)},
              {"isMasterToken", token.is_master},
              {"canManageBuckets", token.sees_all_buckets()},
              {"canManageTokens", token.can_manage_tokens()},
              {"canReadAllFileUploads", token.is_master || token.can_read_all_file_uploads},
              {"canPurgeTrash", token.is_master || token.can_purge_trash},
              {"isExpired", token.expired(services.clock.now_seconds())},
              {"isDisabled", false},
              {"dailyCapacity", 0},
              {"bucketPermissions", permissions},
              {"componentAccess", token.component_access},
              {"creatorToken", creator},
              {"owner", owner},
              {"organization", {{"id", project.organization_id}}}};
  if (token.is_master) out["admin"] = {{"id", token.id}, {"name", token.description}, {"role", "admin"}, {"isOrganizationMember", true}};
  if (with_token_string) out["token"] = token.token;
  return out;
}

json bucket_json(Services& services, const Bucket& bucket) {
  return bucket_json(services, bucket, services.store.list_tables(bucket.project_id, bucket.id));
}

json bucket_json(Services& services, const Bucket& bucket, const std::vector<TableMeta>& tables) {
  std::int64_t rows = 0, bytes = 0;
  for (const auto& t : tables) {
    rows += t.rows_count;
    bytes += t.data_size_bytes;
  }
  auto project = services.store.find_project(bucket.project_id);
  auto base = region_url(services, project ? project->region : "") + "/v2/storage/buckets/" + bucket.id;
  return {{"uri", base},
          {"id", bucket.id},
          {"name", bucket.name},
          {"displayName", bucket.display_name},
          {"idBranch", 1},
          {"stage", bucket.stage},
          {"description", bucket.description},
          {"tables", base + "/tables"},
          {"created", format_datetime(bucket.created)},
          {"lastChangeDate", nullptr},
          {"isReadOnly", false},
          {"dataSizeBytes", bytes},
          {"rowsCount", rows},
          {"isMaintenance", false},
          {"backend", "snowflake"},
          {"sharing", nullptr},
          {"hasExternalSchema", false},
          {"attributes", json::array()},
          {"metadata", json::array()}};
}

json table_json(Services& services, const TableMeta& table, const Bucket& bucket, bool with_columns) {
  return table_json(services, table, bucket_json(services, bucket), with_columns);
}

json table_json(Services& services, const TableMeta& table, const nlohmann::json& bucket, bool with_columns) {
  auto project = services.store.find_project(table.project_id);
  json out = {{"uri", region_url(services, project ? project->region : "") + "/v2/storage/tables/" + table.id},
              {"id", table.id},
              {"name", table.name},
              {"displayName", table.name},
              {"transactional", false},
              {"primaryKey", table.primary_key},
              {"indexType", nullptr},
              {"indexKey", json::array()},
              {"distributionType", nullptr},
              {"distributionKey", json::array()},
              {"syntheticPrimaryKeyEnabled", false},
              {"created", format_datetime(table.created)},
              {"lastImportDate", optional_datetime(table.last_import_date)},
              {"lastChangeDate", optional_datetime(table.last_change_date)},
              {"rowsCount", table.rows_count},
              {"dataSizeBytes", table.data_size_bytes},
              {"isAlias", false},
              {"isAliasable", true},
              {"isTyped", false},
              {"attributes", json::array()},
              {"metadata", table_metadata_json(services, table)},
              {"bucket", bucket}};
  if (with_columns) {
    out["columns"] = table.columns;
    out["columnMetadata"] = columns_metadata_json(services, table);
  }
  return out;
}

json job_json(Services& services, const Job& job) {
  json creator = nullptr;
  if (auto token = services.store.find_token(job.project_id, job.creator_token_id)) {
    creator = {{"id", std::to_string(token->id)}, {"description", token->description}};
  }
  auto project = services.store.find_project(job.project_id);
  json out = {{"id", job.id},
              {"status", job.status},
              {"url", region_url(services, project ? project->region : "") + "/v2/storage/jobs/" + std::to_string(job.id)},
              {"tableId", job.table_id ? json(*job.table_id) : json(nullptr)},
              {"operationName", job.operation_name},
              {"operationParams", job.operation_params},
              {"createdTime", format_datetime(job.created)},
              {"startTime", optional_datetime(job.started)},
              {"endTime", optional_datetime(job.ended)},
              {"runId", job.run_id ? json(*job.run_id) : json(nullptr)},
              {"results", job.results},
              {"creatorToken", creator},
              {"metrics", job.metrics.is_null() ? json{{"inCompressed", false}, {"inBytes", 0}, {"inBytesUncompressed", 0},
                                                       {"outCompressed", false}, {"outBytes", 0}, {"outBytesUncompressed", 0}}
                                                 : job.metrics}};
  if (job.status == "error") out["error"] = job.error;
  return out;
}

json metadata_json(const MetadataItem& item) {
  return {{"id", std::to_string(item.id)},
          {"key", item.key},
          {"value", item.value},
          {"provider", item.provider},
          {"timestamp", format_datetime(item.timestamp)}};
}

json table_metadata_json(Services& services, const TableMeta& table) {
  json out = json::array();
  for (const auto& item : services.store.list_metadata(table.project_id, "table", table.id)) {
    out.push_back(metadata_json(item));
  }
  return out;
}

json columns_metadata_json(Services& services, const TableMeta& table) {
  json out = json::object();
  auto prefix = table.id + ".";
  for (const auto& item : services.store.list_metadata(table.project_id, "column", prefix)) {
    out[item.object_id.substr(prefix.size())].push_back(metadata_json(item));
  }
  return out.empty() ? json::array() : out;
}

json event_json(const TokenEvent& event, const Token& token) {
  return {{"id", std::to_string(event.id)},
          {"uuid", "event-" + std::to_string(event.id)},
          {"event", event.event},
          {"component", "storage"},
          {"message", event.message},
          {"description", ""},
          {"type", "info"},
          {"created", format_datetime(event.created)},
          {"objectType", event.object_type},
          {"objectId", event.object_id},
          {"params", event.params},
          {"results", json::object()},
          {"performance", json::object()},
          {"token", {{"id", std::to_string(token.id)}, {"name", token.description}}},
          {"idBranch", 1},
          {"runId", nullptr}};
}

}  // namespace kbc::emulator
