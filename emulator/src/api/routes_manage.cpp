// Manage API subset (X-KBC-ManageApiToken, only with --manage-token): create a project in an
// organization (in this listener's region) and create a project's storage tokens.
#include <httplib.h>

#include "api/api_error.hpp"
#include "api/auth.hpp"
#include "api/http_util.hpp"
#include "api/params.hpp"
#include "api/routes.hpp"
#include "api/serialize.hpp"

namespace kbc::emulator {

using nlohmann::json;

namespace {

void require_manage_token(Services& services, const httplib::Request& request) {
  auto value = request.get_header_value("X-KBC-ManageApiToken");
  if (value.empty()) throw ApiError(401, "manage.tokenMissing", "Manage API token must be set");
  if (value != services.options.manage_token) throw ApiError(401, "manage.tokenInvalid", "Invalid access token");
}

}  // namespace

void mount_manage(httplib::Server& server, Services& services, const std::string& region) {
  server.Post(R"(/manage/organizations/(\d+)/projects)", guarded([&services, region](const auto& req, auto& res) {
    require_manage_token(services, req);
    auto params = Params::from(req);
    Project project;
    project.name = params.required_string("name");
    project.type = params.string("type").value_or("production");
    if (project.type != "production" && project.type != "poc" && project.type != "demo") {
      throw bad_request("Invalid project type \"" + project.type + "\": use production, poc or demo.");
    }
    project.region = region;
    project.organization_id = std::stoll(req.matches[1].str());
    project.created = services.clock.now_seconds();
    static std::mutex project_id_mutex;
    std::lock_guard lock(project_id_mutex);
    project.id = services.store.next_project_id();
    services.store.insert_project(project);
    send_json(res, 201, project_json(project, services.provider_of_region(project.region)));
  }));

  server.Get(R"(/manage/projects/(\d+))", guarded([&services, region](const auto& req, auto& res) {
    require_manage_token(services, req);
    auto project = services.store.find_project(std::stoll(req.matches[1].str()));
    if (!project || project->region != region) throw not_found("Project not found", "manage.projects.notFound");
    send_json(res, 200, project_json(*project, services.provider_of_region(project->region)));
  }));

  server.Post(R"(/manage/projects/(\d+)/tokens)", guarded([&services, region](const auto& req, auto& res) {
    require_manage_token(services, req);
    auto project = services.store.find_project(std::stoll(req.matches[1].str()));
    if (!project || project->region != region) throw not_found("Project not found", "manage.projects.notFound");
    auto params = Params::from(req);
    params.required_string("description");
    auto token = create_token(services, *project, params, std::nullopt);
    send_json(res, 201, token_json(services, token, *project, true));
  }));
}

}  // namespace kbc::emulator
