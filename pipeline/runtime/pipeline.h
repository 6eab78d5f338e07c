// The running pipeline: the three functions on their SQS pollers plus the HTTP API, over one
// set of AWS APIs (in-process transport under `edastack serve`, HTTP(S) under
// `edastack worker`). Owns the functions, pollers, API and metrics; holds a reference to the
// Apis and the clock (which must outlive it). Start/Stop from one thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "pipeline/api/http_api.h"
#include "pipeline/functions/functions.h"
#include "pipeline/runtime/poller.h"

namespace edastack::pipeline {

struct PipelineOptions {
  bool api = true;
  std::string api_host = "127.0.0.1";
  int api_port = 4567;            // 0 picks a free port
  int processor_concurrency = 4;  // poller threads per queue
  int other_concurrency = 2;
  int batch_size = 10;
  int wait_seconds = 10;          // long polling
  int retry_visibility_seconds = 1;
  // Niceness of the poller threads (PollerOptions::nice). 0 for `edastack worker`, whose
  // functions mostly wait on another endpoint; `edastack serve` passes its --function-nice.
  int function_nice = 0;
  // While the API is busy (function_yield_busy or more requests served at once), the
  // functions let one batch go per function_yield_ms (client_first.h); 0 turns it off.
  // `edastack serve` passes --function-yield-ms. Measured at 16 connections on 2 cores, 3
  // keeps a burst of POST /events near the API's own rate while a steady 2,000 events/s
  // still flows through in real time (2 held the functions back at 2,500/s; 4 and 8 let
  // them take a third of a burst's CPU).
  int function_yield_ms = 0;
  int function_yield_busy = 3;
};

class Pipeline {
 public:
  Pipeline(aws::Apis& apis, Environment env, const Clock& clock, PipelineOptions options);
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // Binds the API (error "BindFailed" when the port is taken) and starts the pollers.
  Status Start();
  void Stop();
  int api_port() const { return api_port_; }
  Metrics& metrics() { return metrics_; }
  HttpApi& api() { return *api_; }

 private:
  FunctionContext Context();

  aws::Apis& apis_;
  const Environment env_;
  const Clock& clock_;
  const PipelineOptions options_;
  Metrics metrics_;
  ClientFirst client_first_;
  std::unique_ptr<IngestFunction> ingest_;
  std::unique_ptr<ProcessorFunction> processor_;
  std::unique_ptr<ConfirmationFunction> confirmation_;
  std::unique_ptr<HttpApi> api_;
  std::vector<std::unique_ptr<Poller>> pollers_;
  int api_port_ = -1;
};

}  // namespace edastack::pipeline
