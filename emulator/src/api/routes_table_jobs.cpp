// Storage API asynchronous table jobs: tables-async (create from a file), import-async,
// export-async. Parameters are validated at once (400); the work runs as a job.
#include <httplib.h>

#include "api/api_error.hpp"
#include "api/auth.hpp"
#include "api/export_params.hpp"
#include "api/http_util.hpp"
#include "api/lookup.hpp"
#include "api/params.hpp"
#include "api/routes.hpp"
#include "api/serialize.hpp"
#include "api/submit_job.hpp"
#include "api/table_operations.hpp"
#include "util/time_format.hpp"

namespace kbc::emulator {

using nlohmann::json;

namespace {

FileRecord require_data_file(Services& services, const Caller& caller, const Params& params) {
  auto id = params.integer("dataFileId");
  if (!id) throw bad_request("Parameter \"dataFileId\" is required.");
  auto file = services.store.find_file(caller.project.id, *id);
  if (!file) throw not_found("File " + std::to_string(*id) + " not found", "storage.files.notFound");
  return *file;
}

data::CsvDialect dialect_of(const Params& params) {
  return csv_dialect(params.string("delimiter"), params.string("enclosure"), params.string("escapedBy"));
}

bool valid_table_name(const std::string& name) {
  if (name.empty() || name.size() > 96) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  }
  return true;
}

json import_results(const ImportOutcome& outcome) {
  return {{"importedColumns", outcome.load.imported_columns},
          {"warnings", json::array()},
          {"transaction", nullptr},
          {"totalRowsCount", outcome.table.rows_count},
          {"totalDataSizeBytes", outcome.table.data_size_bytes},
          {"newColumns", json::array()}};
}

// operationParams as the real service records them (apiary "Load data asynchronously",
// "Create Table Asynchronously"): the load options under "params", the uploaded file under
// "source" {fileId, type: "file"}, the queue name.
json load_operation_params(const Params& params, const FileRecord& file, bool with_header_options) {
  json options = {{"delimiter", params.string("delimiter").value_or(",")},
                  {"enclosure", params.string("enclosure").value_or("\"")},
                  {"escapedBy", params.string("escapedBy").value_or("")}};
  if (with_header_options) {
    options["incremental"] = params.boolean("incremental");
    options["withoutHeaders"] = params.boolean("withoutHeaders");
    options["columns"] = params.list("columns");
    options["source"] = json::array();
  } else {
    options["primaryKey"] = params.list("primaryKey", true);
  }
  return {{"params", options}, {"source", {{"fileId", file.id}, {"type", "file"}}}, {"queue", "main_fast"}};
}

// apiary "Unload Data Asynchronously": the export options under "export".
json export_operation_params(const Params& params, const ExportRequest& request) {
  return {{"export",
           {{"tableName", nullptr},
            {"columns", request.query.columns},
            {"limit", request.query.limit ? json(*request.query.limit) : json(nullptr)},
            {"changedSince", params.string("changedSince") ? json(*params.string("changedSince")) : json(nullptr)},
            {"changedUntil", params.string("changedUntil") ? json(*params.string("changedUntil")) : json(nullptr)},
            {"gzipOutput", request.gzip},
            {"format", "rfc"},
            {"whereFilters", params.raw("whereFilters").is_array() ? params.raw("whereFilters") : json::array()},
            {"fileType", "csv"},
            {"timezone", nullptr}}},
          {"queue", "main_fast"}};
}

}  // namespace

void mount_table_jobs(httplib::Server& server, Services& services, const std::string& region) {
  server.Post(R"(/v2/storage/buckets/([^/]+)/tables-async)", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    auto bucket = require_bucket(services, caller, req.matches[1].str(), Access::write);
    auto params = Params::from(req);
    auto name = params.required_string("name");
    if (!valid_table_name(name)) {
      throw bad_request("Invalid table name \"" + name + "\": only alphanumeric characters, dashes and underscores.",
                        "storage.tables.validation.invalidName");
    }
    auto table_id = bucket.id + "." + name;
    if (services.store.find_table(caller.project.id, table_id)) {
      throw bad_request("The table " + table_id + " already exists.", "storage.tables.alreadyExists");
    }
    auto file = require_data_file(services, caller, params);
    auto dialect = dialect_of(params);
    auto primary_key = params.list("primaryKey", true);
    Job job;
    job.project_id = caller.project.id;
    job.operation_name = "tableCreate";
    job.operation_params = load_operation_params(params, file, false);
    job.operation_params["name"] = name;
    job.table_id = table_id;
    job.creator_token_id = caller.token.id;
    auto started = submit_job(services, job, [&services, caller, bucket, name, file, dialect, primary_key](Job&) {
      auto files = import_files_of(services, file);
      data::FilesReader input(files.paths);
      auto table = create_table(services, caller.project.id, bucket.id, name, primary_key, input, dialect,
                                services.clock.now_seconds());
      record_event(services, caller.token, "storage.tableCreated", "Table " + table.id + " created", "table", table.id);
      return table_json(services, table, bucket, true);
    });
    send_json(res, 202, job_json(services, started));
  }));

  server.Post(R"(/v2/storage/tables/([^/]+)/import-async)", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    auto table = require_table(services, caller, req.matches[1].str(), Access::write);
    auto params = Params::from(req);
    auto file = require_data_file(services, caller, params);
    auto dialect = dialect_of(params);
    HeaderSpec header{params.list("columns"), params.boolean("withoutHeaders")};
    bool incremental = params.boolean("incremental");
    Job job;
    job.project_id = caller.project.id;
    job.operation_name = "tableImport";
    job.operation_params = load_operation_params(params, file, true);
    job.table_id = table.id;
    job.creator_token_id = caller.token.id;
    auto started = submit_job(services, job, [&services, caller, id = table.id, file, dialect, header, incremental](Job&) {
      auto files = import_files_of(services, file);
      data::FilesReader input(files.paths);
      auto outcome = import_table(services, caller.project.id, id, input, dialect, header, incremental,
                                  services.clock.now_seconds());
      record_event(services, caller.token, "storage.tableImportDone",
                   "Imported " + std::to_string(outcome.load.rows_in_file) + " rows into " + id, "table", id,
                   {{"incremental", incremental}, {"fileId", file.id}});
      return import_results(outcome);
    });
    send_json(res, 202, job_json(services, started));
  }));

  server.Post(R"(/v2/storage/tables/([^/]+)/export-async)", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    auto table = require_table(services, caller, req.matches[1].str(), Access::read);
    auto params = Params::from(req);
    auto format = params.string("format").value_or("rfc");
    if (format != "rfc" && !format.empty()) {
      throw bad_request("Format \"" + format + "\" is not supported by the emulator: use rfc.",
                        "storage.tables.validation.invalidFormat");
    }
    auto file_type = params.string("fileType").value_or("csv");
    if (file_type != "csv" && !file_type.empty()) {
      throw bad_request("fileType \"" + file_type + "\" is not supported by the emulator: use csv.",
                        "storage.tables.validation.invalidFileType");
    }
    ExportRequest request{export_query(params, services.clock.now_seconds()), params.boolean("gzip")};
    Job job;
    job.project_id = caller.project.id;
    job.operation_name = "tableExport";
    job.operation_params = export_operation_params(params, request);
    job.table_id = table.id;
    job.creator_token_id = caller.token.id;
    auto started = submit_job(services, job, [&services, caller, id = table.id, request](Job& running) {
      auto current = services.store.find_table(caller.project.id, id);
      if (!current) throw not_found("Table " + id + " not found", "storage.tables.notFound");
      auto file = export_table(services, *current, request, caller.token.id, running.id);
      running.metrics = {{"inCompressed", false},  {"inBytes", 0},
                         {"inBytesUncompressed", 0}, {"outCompressed", request.gzip},
                         {"outBytes", file.size_bytes.value_or(0)}, {"outBytesUncompressed", 0}};
      record_event(services, caller.token, "storage.tableExported", "Table " + id + " exported", "table", id,
                   {{"fileId", file.id}});
      return json{{"file", {{"id", file.id}}}, {"cacheHit", false}};
    });
    send_json(res, 202, job_json(services, started));
  }));
}

}  // namespace kbc::emulator
