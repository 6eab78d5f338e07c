// `edastack serve`'s pipeline: deploys the resource set into the embedded emulator and runs
// the API and functions over the in-process transport (no sockets between them).
// Owns its transport, client, APIs and the running pipeline; holds a reference to the
// emulator, which must outlive it. Start/Stop from one thread.
#pragma once

#include <memory>
#include <string>

#include "emulator/server/emulator.h"
#include "pipeline/aws/apis.h"
#include "pipeline/runtime/pipeline.h"
#include "protocol/client/aws_client.h"

namespace edastack::app {

struct EmbeddedPipelineOptions {
  std::string origin;  // what queue URLs should look like: http://127.0.0.1:<port>
  std::string prefix;
  pipeline::PipelineOptions runtime;
};

class EmbeddedPipeline {
 public:
  // Deploys and starts. Returns nullptr after logging a warning when the emulator lacks a
  // service the pipeline needs, or when deploying or binding the API fails: serve goes on
  // without the pipeline rather than failing.
  static std::unique_ptr<EmbeddedPipeline> Start(Emulator& emu,
                                                 const EmbeddedPipelineOptions& options);
  ~EmbeddedPipeline();
  // Stops the pollers and the API.
  void Stop();
  int api_port() const { return pipeline_ ? pipeline_->api_port() : -1; }

 private:
  EmbeddedPipeline() = default;
  std::unique_ptr<client::Transport> transport_;
  std::unique_ptr<client::AwsClient> client_;
  std::unique_ptr<pipeline::aws::Apis> apis_;
  std::unique_ptr<pipeline::Pipeline> pipeline_;
};

}  // namespace edastack::app
