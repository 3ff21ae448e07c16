// Storage API index (GET /v2/storage) and job detail (GET /v2/storage/jobs/{id}).
#include <httplib.h>

#include "api/api_error.hpp"
#include "api/auth.hpp"
#include "api/http_util.hpp"
#include "api/routes.hpp"
#include "api/serialize.hpp"

namespace kbc::emulator {

using nlohmann::json;

void mount_index_and_jobs(httplib::Server& server, Services& services, const std::string& region) {
  server.Get("/v2/storage", guarded([&services, region](const auto&, auto& res) {
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
