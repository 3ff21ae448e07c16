#include "api/branches.hpp"

#include <httplib.h>

#include "api/api_error.hpp"
#include "api/auth.hpp"
#include "api/http_util.hpp"
#include "util/time_format.hpp"

namespace kbc::emulator {

using nlohmann::json;

std::int64_t default_branch_id(const Project& project) { return 1000 + project.id; }

json default_branch_json(const Project& project) {
  return {{"id", default_branch_id(project)},
          {"name", "Main"},
          {"description", ""},
          {"created", format_datetime(project.created)},
          {"isDefault", true},
          {"creatorToken", json::array()}};
}

bool route_branch_alias(Services& services, const std::string& region, const httplib::Request& request,
                        httplib::Response& response) {
  static const std::string prefix = "/v2/storage/branch/";
  if (request.path.rfind(prefix, 0) != 0) return false;
  const auto end = request.path.find('/', prefix.size());
  const auto branch = request.path.substr(prefix.size(), end - prefix.size());
  if (branch != "default") {
    try {
      auto caller = authenticate(services, request, region);
      if (branch != std::to_string(default_branch_id(caller.project))) {
        throw not_found("Branch not found", "devBranch.notFound");
      }
    } catch (const ApiError& e) {
      send_error(response, e.status(), e.code(), e.what());
      return true;
    }
  }
  // httplib routes the very Request it hands the pre-routing handler (a non-const local of its
  // request loop) by its path, after that handler: the rewritten path is the one routed.
  auto& routed = const_cast<httplib::Request&>(request);
  routed.path = "/v2/storage" + (end == std::string::npos ? std::string() : request.path.substr(end));
  return false;
}

}  // namespace kbc::emulator
