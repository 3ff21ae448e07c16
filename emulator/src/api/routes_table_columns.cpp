// Adding and deleting a table's column, as storage-api-php-client `Client.php` calls them:
// addTableColumn (POST tables/{id}/columns, JSON {name, definition?, basetype?}) and
// deleteTableColumn (DELETE tables/{id}/columns/{name}?force=…). Both answer 202 with a job
// (tableColumnAdd / tableColumnDelete, apiary.apib "Add Column to Table", "Delete Column from
// Table") that the client waits for. `definition`/`basetype` are for typed tables: the
// emulator's tables are untyped, where the API ignores them.
#include <httplib.h>

#include "api/api_error.hpp"
#include "api/auth.hpp"
#include "api/http_util.hpp"
#include "api/lookup.hpp"
#include "api/params.hpp"
#include "api/routes.hpp"
#include "api/serialize.hpp"
#include "api/submit_job.hpp"
#include "api/table_changes.hpp"

namespace kbc::emulator {

using nlohmann::json;

namespace {

Job column_job(const Caller& caller, const std::string& operation, const std::string& table_id, json params) {
  Job job;
  job.project_id = caller.project.id;
  job.operation_name = operation;
  job.operation_params = std::move(params);
  job.table_id = table_id;
  job.creator_token_id = caller.token.id;
  return job;
}

}  // namespace

void mount_table_columns(httplib::Server& server, Services& services, const std::string& region) {
  server.Post(R"(/v2/storage/tables/([^/]+)/columns/?)", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    auto table = require_table(services, caller, req.matches[1].str(), Access::write);
    auto params = Params::from(req);
    if (!params.has("name")) throw bad_request("Parameter \"name\" is required.");
    auto requested = params.string("name").value_or("");
    auto column = webalize_column_name(requested);
    check_column_addable(table, column);
    auto job = submit_job(services, column_job(caller, "tableColumnAdd", table.id, {{"name", requested}}),
                          [&services, project = caller.project.id, id = table.id, column](Job&) {
                            add_table_column(services, project, id, column);
                            return json(nullptr);
                          });
    record_event(services, caller.token, "storage.tableColumnAdded", "Column " + column + " added to " + table.id,
                 "table", table.id);
    send_json(res, 202, job_json(services, job));
  }));

  server.Delete(R"(/v2/storage/tables/([^/]+)/columns/([^/]+)/?)", guarded([&services, region](const auto& req,
                                                                                                  auto& res) {
    auto caller = authenticate(services, req, region);
    auto table = require_table(services, caller, req.matches[1].str(), Access::write);
    auto column = req.matches[2].str();
    // `force` also deletes the column from aliases; the emulator has no aliases.
    bool force = Params::from(req).boolean("force");
    check_column_deletable(table, column);
    auto job = submit_job(services,
                          column_job(caller, "tableColumnDelete", table.id, {{"name", column}, {"force", force}}),
                          [&services, project = caller.project.id, id = table.id, column](Job&) {
                            delete_table_column(services, project, id, column);
                            return json(nullptr);
                          });
    record_event(services, caller.token, "storage.tableColumnDeleted",
                 "Column " + column + " deleted from " + table.id, "table", table.id);
    send_json(res, 202, job_json(services, job));
  }));
}

}  // namespace kbc::emulator
