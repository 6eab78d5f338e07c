// Binding a cpp-httplib server with a listen backlog that survives bursts of connections.
// Debian's cpp-httplib 0.11 is a compiled library that listens with a backlog of 5: a burst
// of clients (a thread pool, a load generator) overflows it, and with SYN cookies on the
// connections it drops are then reset by the kernel ("Connection reset by peer").
#pragma once

#include <string>

namespace httplib {
class Server;
}

namespace edastack::http {

// Binds `server` to host:port (port 0: any free port) and widens the backlog to SOMAXCONN.
// Returns the port, or -1 when the bind failed. Then call server.listen_after_bind().
int BindWithBacklog(httplib::Server& server, const std::string& host, int port);

}  // namespace edastack::http
