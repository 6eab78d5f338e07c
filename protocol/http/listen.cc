#include "protocol/http/listen.h"

#include <httplib.h>
#include <sys/socket.h>

#include <memory>

namespace edastack::http {

int BindWithBacklog(httplib::Server& server, const std::string& host, int port) {
  // httplib tries each resolved address with a new socket and keeps the first that binds,
  // so the last socket the options hook saw is the listening one.
  auto fd = std::make_shared<socket_t>(INVALID_SOCKET);
  server.set_socket_options([fd](socket_t sock) {
    httplib::default_socket_options(sock);
    *fd = sock;
  });
  int bound = port == 0 ? server.bind_to_any_port(host)
                        : (server.bind_to_port(host, port) ? port : -1);
  // listen() on a listening socket updates its backlog (Linux, BSD).
  if (bound >= 0 && *fd != INVALID_SOCKET) ::listen(*fd, SOMAXCONN);
  return bound;
}

}  // namespace edastack::http
