#include "emulator/server/http_server.h"

#include "protocol/http/server.h"

namespace edastack {

HttpServer::HttpServer(Emulator& emulator, HttpServerOptions options)
    : emulator_(emulator), options_(std::move(options)) {
  http::ServerOptions o;
  o.host = options_.host;
  o.port = options_.port;
  o.max_threads = options_.max_threads;
  server_ = std::make_unique<http::Server>(o, [this](http::Request& req) { return emulator_.Handle(req); });
}

HttpServer::~HttpServer() { Stop(); }

int HttpServer::Bind() { return server_->Bind(); }

bool HttpServer::Serve() { return server_->Serve(); }

bool HttpServer::Drained() const { return server_->Drained(); }

void HttpServer::Stop() {
  if (server_) server_->Stop();
}

}  // namespace edastack
