// Storage API index (GET /v2/storage), job list (GET /v2/storage/jobs) and job detail
// (GET /v2/storage/jobs/{id}). A token sees only its own project's jobs.
#include <httplib.h>

#include "api/api_error.hpp"
#include "api/auth.hpp"
#include "api/http_util.hpp"
#include "api/job_time_filter.hpp"
#include "api/params.hpp"
#include "api/routes.hpp"
#include "api/serialize.hpp"

namespace kbc::emulator {

using nlohmann::json;

void mount_index_and_jobs(httplib::Server& server, Services& services, const std::string& region) {
  // With or without the trailing slash: PHP Client::indexAction requests '' relative to the
  // base URI ".../v2/storage/".
  server.Get("/v2/storage/?", guarded([&services, region](const auto&, auto& res) {
    auto base = region_url(services, region);
    send_json(res, 200,
              {{"api", "storage"},
               {"version", "v2"},
               {"documentation", "https://keboola.docs.apiary.io/"},
               {"components", json::array()},
               {"services", json::array({{{"id", "storage"}, {"url", base}}})},
               {"features", json::array()},
               {"urlTemplates", json::object()}});
  }));

  // apiary "List Jobs": limit (default 100), offset, storage_job_status and
  // excluded_storage_job_status (ignored when storage_job_status is given), the time filters
  // (job_time_filter.hpp); newest first.
  server.Get("/v2/storage/jobs", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    auto params = Params::from(req);
    auto limit = params.integer("limit").value_or(100);
    auto offset = params.integer("offset").value_or(0);
    if (limit < 0 || offset < 0) throw bad_request("Parameters \"limit\" and \"offset\" must not be negative.");
    auto status = params.string("storage_job_status").value_or("");
    auto excluded = status.empty() ? params.string("excluded_storage_job_status").value_or("") : "";
    for (const auto& value : {status, excluded}) {
      if (!value.empty() && value != "waiting" && value != "processing" && value != "success" && value != "error") {
        throw bad_request("Invalid job status \"" + value + "\": use waiting, processing, success or error.");
      }
    }
    JobFilter filter;
    filter.status = status;
    filter.excluded_status = excluded;
    const auto now = services.clock.now_seconds();
    filter.created = job_time_range(params, "created_time", now);
    filter.started = job_time_range(params, "start_time", now);
    filter.ended = job_time_range(params, "end_time", now);
    json out = json::array();
    for (const auto& job : services.store.list_jobs(caller.project.id, filter, limit, offset)) {
      out.push_back(job_json(services, job));
    }
    send_json(res, 200, out);
  }));

  server.Get(R"(/v2/storage/jobs/(\d+))", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    auto id = std::stoll(req.matches[1].str());
    auto job = services.store.find_job(id);
    if (!job || job->project_id != caller.project.id) {
      throw not_found("Job " + std::to_string(id) + " not found", "storage.jobs.notFound");
    }
    send_json(res, 200, job_json(services, *job));
  }));
}

}  // namespace kbc::emulator
