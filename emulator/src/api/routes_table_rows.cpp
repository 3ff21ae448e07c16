// Deleting a table's rows, as storage-api-php-client `Client.php` deleteTableRows (DELETE
// tables/{id}/rows with a JSON body) and deleteTableRowsAsQuery (the same as a query string)
// call it, and `tests/Backend/CommonPart1/DeleteRowsTest.php` expects it to answer: the filters
// of an export (changedSince, changedUntil, whereColumn/whereValues/whereOperator,
// whereFilters; parsed by export_query, matched by the export's SQL), all of them required to
// match; no filter deletes every row, and only with allowTruncate. 202 with a job
// tableRowsDelete (apiary.apib "Delete Table Rows").
#include <httplib.h>

#include <algorithm>

#include "api/api_error.hpp"
#include "api/auth.hpp"
#include "api/export_params.hpp"
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

// The filters of an export, without what only an export has (columns, limit); checked as
// DeleteRowsTest expects, before the job starts.
data::ExportQuery rows_filter(const Params& params, const TableMeta& table, std::int64_t now) {
  if (params.string("whereColumn").value_or("") != "" && params.list("whereValues").empty()) {
    throw bad_request("Invalid request:\n - whereColumn: \"To use \"whereColumn\" specify \"whereValues\".\"");
  }
  auto filter = export_query(params, now);
  filter.columns.clear();
  filter.limit.reset();
  for (const auto& where : filter.filters) {
    if (std::find(table.columns.begin(), table.columns.end(), where.column) == table.columns.end()) {
      throw bad_request("Cannot filter by column \"" + where.column + "\", column does not exist",
                        "storage.tables.columnNotExists");
    }
  }
  bool any = filter.changed_since || filter.changed_until || !filter.filters.empty();
  if (!any && !params.boolean("allowTruncate")) {
    throw bad_request(
        "No filters have been specified, which will truncate the table, but the `allowTruncate` parameter was not set.",
        "storage.tables.validation.unintendedTruncation");
  }
  return filter;
}

// operationParams as apiary.apib shows them: the request's filters under "request".
json rows_operation_params(const Params& params) {
  auto text_or_null = [&](const char* name) {
    auto value = params.string(name);
    return value ? json(*value) : json(nullptr);
  };
  json filters = params.raw("whereFilters").is_array() ? params.raw("whereFilters") : json::array();
  if (auto column = params.string("whereColumn"); column && !column->empty()) {
    filters.push_back({{"column", *column},
                       {"values", params.list("whereValues")},
                       {"operator", params.string("whereOperator").value_or("eq")}});
  }
  return {{"request",
           {{"changedSince", text_or_null("changedSince")},
            {"changedUntil", text_or_null("changedUntil")},
            {"whereFilters", filters}}}};
}

}  // namespace

void mount_table_rows(httplib::Server& server, Services& services, const std::string& region) {
  server.Delete(R"(/v2/storage/tables/([^/]+)/rows/?)", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    auto table = require_table(services, caller, req.matches[1].str(), Access::write);
    auto params = Params::from(req);
    auto filter = rows_filter(params, table, services.clock.now_seconds());
    Job job;
    job.project_id = caller.project.id;
    job.operation_name = "tableRowsDelete";
    job.operation_params = rows_operation_params(params);
    job.table_id = table.id;
    job.creator_token_id = caller.token.id;
    auto started = submit_job(services, job, [&services, caller, id = table.id, filter](Job&) {
      auto deleted = delete_table_rows(services, caller.project.id, id, filter, services.clock.now_seconds());
      record_event(services, caller.token, "storage.tableRowsDeleted",
                   "Deleted " + std::to_string(deleted) + " rows from " + id, "table", id);
      // The apiary says the number of deleted rows is returned; its key is not documented.
      return json{{"deletedRows", deleted}};
    });
    send_json(res, 202, job_json(services, started));
  }));
}

}  // namespace kbc::emulator
