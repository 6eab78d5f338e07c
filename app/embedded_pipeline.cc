#include "app/embedded_pipeline.h"

#include "pipeline/resources/deployer.h"
#include "protocol/client/transport.h"
#include "protocol/core/log.h"

namespace edastack::app {

std::unique_ptr<EmbeddedPipeline> EmbeddedPipeline::Start(Emulator& emu,
                                                          const EmbeddedPipelineOptions& options) {
  std::string missing;
  const std::pair<http::Service, const char*> needed[] = {{http::Service::kSqs, "sqs"},
                                                          {http::Service::kSns, "sns"},
                                                          {http::Service::kDynamoDb, "dynamodb"},
                                                          {http::Service::kEvents, "events"},
                                                          {http::Service::kS3, "s3"}};
  for (const auto& s : needed)
    if (!emu.service(s.first)) missing += std::string(missing.empty() ? "" : ", ") + s.second;
  if (!missing.empty()) {
    log::Warn("pipeline not started: this build's emulator lacks " + missing +
              " (serve runs without the pipeline; --no-pipeline silences this)");
    return nullptr;
  }
  std::unique_ptr<EmbeddedPipeline> p(new EmbeddedPipeline());
  p->transport_ = client::MakeInProcessTransport(
      [&emu](const http::Request& r) {
        http::Request c = r;
        return emu.Handle(c);
      },
      options.origin);
  client::ClientConfig config;
  config.region = emu.options().region;
  const auto& creds = emu.options().credentials;
  config.credentials.access_key = creds.empty() ? "test" : creds.begin()->first;
  config.credentials.secret_key = creds.empty() ? "test" : creds.begin()->second;
  config.endpoint = options.origin;
  // Without --auth the emulator does not verify SigV4 and reads the region from its own
  // options (the same as config.region), so signing every in-process call would be waste.
  config.sign = emu.options().auth_sigv4;
  p->client_ = std::make_unique<client::AwsClient>(*p->transport_, config, emu.clock());
  p->apis_ = std::make_unique<pipeline::aws::Apis>(*p->client_);
  pipeline::Deployer deployer(*p->apis_,
                              pipeline::DeclareResources(pipeline::NamesWithPrefix(options.prefix)),
                              pipeline::S3Delivery::kAuto);
  pipeline::DeployReport report = deployer.Deploy();
  for (const auto& c : report.changes)
    log::Info("pipeline deploy: " + c.action + " " + c.kind + " " + c.name +
              (c.detail.empty() ? "" : " (" + c.detail + ")"));
  if (!report.ok) {
    log::Warn("pipeline not started: deploy failed: " + report.error);
    return nullptr;
  }
  p->pipeline_ = std::make_unique<pipeline::Pipeline>(*p->apis_, report.env, emu.clock(),
                                                      options.runtime);
  Status started = p->pipeline_->Start();
  if (!started.ok()) {
    log::Warn("pipeline not started: " + started.error().message);
    return nullptr;
  }
  return p;
}

EmbeddedPipeline::~EmbeddedPipeline() { Stop(); }

void EmbeddedPipeline::Stop() {
  if (pipeline_) pipeline_->Stop();
}

}  // namespace edastack::app
