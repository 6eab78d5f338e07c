// Connects the pipeline's typed AWS APIs to a remote endpoint (edastack, moto, LocalStack)
// over HTTP with SigV4, credentials and region from the standard AWS env vars and files.
// Without an endpoint (no --endpoint, no AWS_ENDPOINT_URL) each service gets AWS's regional
// endpoint. Owns its transports and clients; not copyable.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "pipeline/aws/apis.h"
#include "protocol/client/aws_client.h"
#include "protocol/client/credentials.h"
#include "protocol/client/transport.h"
#include "protocol/core/clock.h"

namespace edastack::app {

struct RemoteAws {
  SystemClock clock;
  client::ClientConfig config;
  std::string endpoint;  // what we talk to ("" = AWS regional endpoints)
  std::vector<std::unique_ptr<client::Transport>> transports;
  std::vector<std::unique_ptr<client::AwsClient>> clients;
  std::unique_ptr<pipeline::aws::Apis> apis;
};

// endpoint_flag: --endpoint (empty = AWS_ENDPOINT_URL, else AWS). region_flag overrides.
Result<std::unique_ptr<RemoteAws>> ConnectRemote(const std::string& endpoint_flag,
                                                 const std::string& region_flag);

}  // namespace edastack::app
