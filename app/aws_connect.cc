#include "app/aws_connect.h"

namespace edastack::app {

Result<std::unique_ptr<RemoteAws>> ConnectRemote(const std::string& endpoint_flag,
                                                 const std::string& region_flag) {
  EDA_ASSIGN_OR_RETURN(client::ClientConfig config, client::LoadConfig());
  auto r = std::make_unique<RemoteAws>();
  if (!region_flag.empty()) config.region = region_flag;
  if (!endpoint_flag.empty()) config.endpoint = endpoint_flag;
  if (config.credentials.access_key.empty())
    return MakeError("NoCredentials",
                     "no AWS credentials: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or a profile");
  r->config = config;
  r->endpoint = config.endpoint;
  auto add = [&](const std::string& url) -> Result<client::AwsClient*> {
    EDA_ASSIGN_OR_RETURN(client::Endpoint ep, client::ParseEndpoint(url));
    r->transports.push_back(client::MakeHttpTransport(ep, 65000, config.ca_bundle));
    r->clients.push_back(
        std::make_unique<client::AwsClient>(*r->transports.back(), config, r->clock));
    return r->clients.back().get();
  };
  if (!config.endpoint.empty()) {
    EDA_ASSIGN_OR_RETURN(client::AwsClient * all, add(config.endpoint));
    r->apis = std::make_unique<pipeline::aws::Apis>(*all);
    return r;
  }
  const std::string suffix = "." + config.region + ".amazonaws.com";
  EDA_ASSIGN_OR_RETURN(client::AwsClient * sqs, add("https://sqs" + suffix));
  EDA_ASSIGN_OR_RETURN(client::AwsClient * sns, add("https://sns" + suffix));
  EDA_ASSIGN_OR_RETURN(client::AwsClient * ddb, add("https://dynamodb" + suffix));
  EDA_ASSIGN_OR_RETURN(client::AwsClient * events, add("https://events" + suffix));
  EDA_ASSIGN_OR_RETURN(client::AwsClient * s3, add("https://s3" + suffix));
  r->apis = std::make_unique<pipeline::aws::Apis>(*sqs, *sns, *ddb, *events, *s3);
  return r;
}

}  // namespace edastack::app
