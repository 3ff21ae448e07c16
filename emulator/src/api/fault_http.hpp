#pragma once
// Applying storage-target faults on a Storage API listener: before routing (status, delay,
// drop), after routing (truncate), or handed to the route (fail_job, expire_credentials).
#include <functional>

namespace httplib { class Server; struct Request; struct Response; }

namespace kbc::emulator {

struct Services;

// Runs before faults are matched and the request routed; true: it answered the request.
using BeforeRouting = std::function<bool(const httplib::Request&, httplib::Response&)>;

// `before` (optional) sees every request first, e.g. to rewrite a branch-prefixed path.
void install_storage_faults(httplib::Server& server, Services& services, BeforeRouting before = {});

}  // namespace kbc::emulator
