// Development branches as the clients read them: keboola-sdk-go `storage_branch.go`
// (ListBranchesRequest, GetDefaultBranchRequest, GetBranchRequest) and storage-api-php-client
// `DevBranches.php` (listBranches, getBranch, getDefaultBranch: "dev-branches/" with a
// trailing slash). The emulator has the default branch only; creating, updating and deleting
// branches is out of scope. Branch routes need an admin's (master) token: others get 403, as
// `tests/Common/DevBranchesTest.php` testNonAdminTokenRestrictions expects.
#include <httplib.h>

#include "api/api_error.hpp"
#include "api/auth.hpp"
#include "api/branches.hpp"
#include "api/http_util.hpp"
#include "api/routes.hpp"

namespace kbc::emulator {

using nlohmann::json;

namespace {

Caller require_admin(Services& services, const httplib::Request& req, const std::string& region) {
  auto caller = authenticate(services, req, region);
  if (!caller.token.is_master) throw access_denied("You don't have access to resource.");
  return caller;
}

}  // namespace

void mount_branches(httplib::Server& server, Services& services, const std::string& region) {
  server.Get("/v2/storage/dev-branches/?", guarded([&services, region](const auto& req, auto& res) {
    auto caller = require_admin(services, req, region);
    send_json(res, 200, json::array({default_branch_json(caller.project)}));
  }));

  server.Get(R"(/v2/storage/dev-branches/([^/]+)/?)", guarded([&services, region](const auto& req, auto& res) {
    auto caller = require_admin(services, req, region);
    if (req.matches[1].str() != std::to_string(default_branch_id(caller.project))) {
      throw not_found("Branch not found", "devBranch.notFound");
    }
    send_json(res, 200, default_branch_json(caller.project));
  }));
}

}  // namespace kbc::emulator
