// The HTTP front end: an http::Server on one port that hands each http::Request to the
// Emulator and writes its http::Response back. Connections are served by threads started on
// demand (idle long polls hold a thread each) up to max_threads.
#pragma once

#include <memory>
#include <string>

#include "emulator/server/emulator.h"

namespace edastack::http {
class Server;
}

namespace edastack {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 4566;  // 0 picks a free port
  size_t max_threads = 1024;
};

class HttpServer {
 public:
  HttpServer(Emulator& emulator, HttpServerOptions options);
  ~HttpServer();
  // Binds; returns the bound port, or -1.
  int Bind();
  // Serves until Stop(); blocks.
  bool Serve();
  void Stop();
  // After Serve() returned: true when no connection thread is still running. Serve() waits
  // about a second for busy connections (idle keep-alives, parked long polls) and then
  // returns anyway; the caller must not destroy the Emulator while this is false.
  bool Drained() const;

 private:
  Emulator& emulator_;
  HttpServerOptions options_;
  std::unique_ptr<http::Server> server_;
};

}  // namespace edastack
