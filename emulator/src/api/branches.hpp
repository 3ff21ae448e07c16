#pragma once
// The one branch of every emulated project, its default ("Main") branch, and the
// branch-prefixed routes: keboola-sdk-go calls every Storage route as
// /v2/storage/branch/{branchId}/…, the PHP client's Components as /v2/storage/branch/default/….
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "model/entities.hpp"
#include "services.hpp"

namespace httplib { struct Request; struct Response; }

namespace kbc::emulator {

// Fixed (1000 + the project id), so tests and scripts can name it; unique across projects as
// real branch ids are.
std::int64_t default_branch_id(const Project& project);

// apiary.apib "List branches": {id, name "Main", description "", created, isDefault true,
// creatorToken []} (the default branch has no creator token).
nlohmann::json default_branch_json(const Project& project);

// For /v2/storage/branch/{branchId}/<route>: with branchId "default" or the caller's default
// branch id, rewrites the request's path to /v2/storage/<route> (the same handler then serves
// it) and returns false; any other branch id is answered 404 devBranch.notFound (a bad token
// its 401) and returns true. Every other path: false, untouched.
bool route_branch_alias(Services& services, const std::string& region, const httplib::Request& request,
                        httplib::Response& response);

}  // namespace kbc::emulator
