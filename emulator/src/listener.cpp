#include "listener.hpp"

#include <httplib.h>
#include <sys/socket.h>

#include <memory>

namespace kbc::emulator {

int bind_listener(httplib::Server& server, const std::string& host, int port) {
  auto listening = std::make_shared<int>(-1);
  server.set_tcp_nodelay(true);
  server.set_socket_options([listening](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    *listening = sock;
  });
  const int bound = port == 0 ? server.bind_to_any_port(host) : (server.bind_to_port(host, port) ? port : -1);
  // httplib listened with a backlog of 5; listening again on the bound socket raises it.
  if (bound > 0 && *listening >= 0) ::listen(*listening, SOMAXCONN);
  return bound;
}

}  // namespace kbc::emulator
