#pragma once
// Applying storage-target faults on a Storage API listener: before routing (status, delay,
// drop), after routing (truncate), or handed to the route (fail_job, expire_credentials).
namespace httplib { class Server; }

namespace kbc::emulator {

struct Services;

void install_storage_faults(httplib::Server& server, Services& services);

}  // namespace kbc::emulator
