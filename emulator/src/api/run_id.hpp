#pragma once
// X-KBC-RunId (apiary.apib "HTTP headers": it matches a component run with storage jobs):
// captured before routing for the request this thread handles, stored by the routes that
// make files (files/prepare) or start jobs, and read back as `runId` / `runIds`.
#include <optional>
#include <string>
#include <vector>

namespace httplib { struct Request; }

namespace kbc::emulator {

// Called by the pre-routing handler of every Storage API request.
void capture_run_id(const httplib::Request& request);
// The current request's run id (nullopt without the header or with an empty one).
const std::optional<std::string>& request_run_id();

// A run id and its parents, as PHP Client::generateRunId nests them ("parent.child"):
// "1.2.3" -> ["1", "1.2", "1.2.3"]; what the file list's runId filter matches.
std::vector<std::string> run_id_hierarchy(const std::string& run_id);

}  // namespace kbc::emulator
