#pragma once
// How every listener of the emulator binds (Storage API regions, S3, GCS), and how the tests'
// in-process servers bind the same way.
#include <string>

namespace httplib { class Server; }

namespace kbc::emulator {

// Bind `server` to host:port (port 0: a free one) with SO_REUSEADDR but never SO_REUSEPORT
// (httplib's default, with which a second emulator on an occupied port starts and silently
// shares the traffic), TCP_NODELAY (else each answer on a kept-alive connection waits ~40 ms
// for the delayed ACK), and a listen backlog of SOMAXCONN instead of httplib's 5 (parallel
// clients connecting at once were dropped). The port bound, or -1.
int bind_listener(httplib::Server& server, const std::string& host, int port);

}  // namespace kbc::emulator
