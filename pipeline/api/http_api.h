// The pipeline's HTTP API (API Gateway + api-handler in the original), on its own port:
//   POST /events        {type, payload, eventId?} -> 202 {eventId, status:"ACCEPTED"} once
//                       the event is published (concurrent POSTs share a PublishBatch,
//                       see publish_group.h)
//                       400 {error} for invalid JSON, a missing type or payload, a payload
//                       over 256 KiB; 502 when the topic cannot be reached
//   GET  /events/{id}   200 the record (status, history, ...) | 404
//   GET  /metrics       Prometheus text
//   GET  /health        {"status":"ok"}
//   OPTIONS *           CORS preflight (204); every answer carries the CORS headers.
// Holds references to the context's Apis, clock and metrics. Thread-safe: requests are
// served concurrently by the server's thread pool.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "pipeline/api/publish_group.h"
#include "pipeline/functions/functions.h"
#include "pipeline/runtime/client_first.h"
#include "protocol/http/server.h"

namespace edastack::pipeline {

struct ApiResponse {
  int status = 200;
  std::string body;  // JSON
};

class HttpApi {
 public:
  static constexpr const char* kName = "api-handler";
  // `client_first`, when given, is told of every request while it is served, so that the
  // functions wait their turn behind it (see client_first.h); it must outlive the API.
  explicit HttpApi(FunctionContext ctx, ClientFirst* client_first = nullptr);
  ~HttpApi();
  HttpApi(const HttpApi&) = delete;
  HttpApi& operator=(const HttpApi&) = delete;

  // The handlers, callable without a socket.
  ApiResponse PostEvent(const std::string& body);
  ApiResponse GetEvent(const std::string& event_id);
  const PublishGroup& publishes() const { return publishes_; }
  // Dispatches one HTTP request to the handlers above (what the server calls).
  http::Response Route(http::Request& req);

  // Binds host:port (0 picks a free port); returns the port or -1. Then Start serves on a
  // background thread until Stop.
  int Bind(const std::string& host, int port);
  void Start();
  void Stop();

 private:
  FunctionContext ctx_;
  ClientFirst* const client_first_;
  PublishGroup publishes_;
  static constexpr size_t kMaxRequestBytes = 16 * 1024 * 1024;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
};

}  // namespace edastack::pipeline
