#pragma once
// Closing a request's TCP connection without any answer (the "drop" fault). httplib hands
// handlers no socket, so the connection is found among the process's descriptors by its
// local and remote endpoints and shut down; httplib's own writes then fail and it closes it.
namespace httplib { struct Request; }

namespace kbc::emulator::s3 {

// True when the connection was found and shut down.
bool drop_connection(const httplib::Request& request);

}  // namespace kbc::emulator::s3
