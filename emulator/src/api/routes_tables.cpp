// Storage API tables: list (per bucket and project-wide), detail, delete, primary key.
#include <httplib.h>

#include "api/api_error.hpp"
#include "api/auth.hpp"
#include "api/http_util.hpp"
#include "api/lookup.hpp"
#include "api/params.hpp"
#include "api/routes.hpp"
#include "api/serialize.hpp"
#include "api/submit_job.hpp"
#include "api/table_operations.hpp"

namespace kbc::emulator {

using nlohmann::json;

namespace {

bool include_columns(const Params& params) {
  for (const auto& item : params.list("include", true)) {
    if (item == "columns") return true;
  }
  return false;
}

Job table_job(const Caller& caller, const std::string& operation, const std::string& table_id, json params) {
  Job job;
  job.project_id = caller.project.id;
  job.operation_name = operation;
  job.operation_params = std::move(params);
  job.table_id = table_id;
  job.creator_token_id = caller.token.id;
  return job;
}

// Every table of one bucket, the bucket's own JSON (and its totals) computed once for all.
json tables_of_bucket_json(Services& services, const Bucket& bucket, bool with_columns) {
  auto tables = services.store.list_tables(bucket.project_id, bucket.id);
  auto bucket_value = bucket_json(services, bucket, tables);
  json out = json::array();
  for (const auto& table : tables) out.push_back(table_json(services, table, bucket_value, with_columns));
  return out;
}

}  // namespace

void mount_tables(httplib::Server& server, Services& services, const std::string& region) {
  server.Get(R"(/v2/storage/buckets/([^/]+)/tables)", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    auto bucket = require_bucket(services, caller, req.matches[1].str(), Access::read);
    bool columns = include_columns(Params::from(req));
    send_json(res, 200, tables_of_bucket_json(services, bucket, columns));
  }));

  server.Get("/v2/storage/tables", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    bool columns = include_columns(Params::from(req));
    json out = json::array();
    for (const auto& bucket : services.store.list_buckets(caller.project.id)) {
      if (bucket_permission(caller.token, bucket.id).empty()) continue;
      for (auto& table : tables_of_bucket_json(services, bucket, columns)) out.push_back(std::move(table));
    }
    send_json(res, 200, out);
  }));

  server.Get(R"(/v2/storage/tables/([^/]+))", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    auto table = require_table(services, caller, req.matches[1].str(), Access::read);
    auto bucket = services.store.find_bucket(caller.project.id, table.bucket_id);
    send_json(res, 200, table_json(services, table, *bucket, true));
  }));

  server.Delete(R"(/v2/storage/tables/([^/]+))", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    auto table = require_table(services, caller, req.matches[1].str(), Access::write);
    auto params = Params::from(req);
    auto work = [&services, project = caller.project.id, id = table.id](Job&) {
      drop_table(services, project, id);
      return json(nullptr);
    };
    if (params.boolean("async")) {
      auto job = submit_job(services, table_job(caller, "tableDrop", table.id, {{"tableId", table.id}}), work);
      send_json(res, 202, job_json(services, job));
      return;
    }
    drop_table(services, caller.project.id, table.id);
    record_event(services, caller.token, "storage.tableDeleted", "Table " + table.id + " deleted", "table", table.id);
    send_json(res, 204, nullptr);
  }));

  server.Post(R"(/v2/storage/tables/([^/]+)/primary-key)", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    auto table = require_table(services, caller, req.matches[1].str(), Access::write);
    auto columns = Params::from(req).list("columns", true);
    if (columns.empty()) throw bad_request("Parameter \"columns\" is required.");
    auto job = submit_job(services, table_job(caller, "tablePrimaryKeyAdd", table.id, {{"columns", columns}}),
                          [&services, project = caller.project.id, id = table.id, columns](Job&) {
                            set_primary_key(services, project, id, columns);
                            return json(nullptr);
                          });
    record_event(services, caller.token, "storage.tablePrimaryKeyAdded", "Primary key added to " + table.id, "table",
                 table.id);
    send_json(res, 202, job_json(services, job));
  }));

  server.Delete(R"(/v2/storage/tables/([^/]+)/primary-key)", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    auto table = require_table(services, caller, req.matches[1].str(), Access::write);
    auto job = submit_job(services, table_job(caller, "tablePrimaryKeyDelete", table.id, json::object()),
                          [&services, project = caller.project.id, id = table.id](Job&) {
                            drop_primary_key(services, project, id);
                            return json(nullptr);
                          });
    record_event(services, caller.token, "storage.tablePrimaryKeyDeleted", "Primary key removed from " + table.id,
                 "table", table.id);
    send_json(res, 202, job_json(services, job));
  }));
}

}  // namespace kbc::emulator
