// A signed AWS client over a Transport: JSON 1.0/1.1, query and REST calls, with retries
// (exponential backoff and full jitter) on throttling, 5xx and connection errors.
// Thread-safe when the transport is.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/client/credentials.h"
#include "protocol/client/transport.h"
#include "protocol/core/clock.h"
#include "protocol/query/xml_reader.h"

namespace edastack::client {

struct RetryPolicy {
  int max_attempts = 4;
  int base_delay_ms = 50;
  int max_delay_ms = 2000;
};

class AwsClient {
 public:
  // Does not own the transport or the clock; both must outlive the client.
  AwsClient(Transport& transport, ClientConfig config, const Clock& clock,
            RetryPolicy retry = RetryPolicy());

  // JSON protocols: `target` is e.g. "AmazonSQS.SendMessage"; version "1.0" or "1.1".
  Result<nlohmann::json> CallJson(const std::string& signing_service, const std::string& target,
                                  const nlohmann::json& body, const std::string& version = "1.0");
  // Query protocol: returns the parsed <OpResponse> document.
  Result<xml::Node> CallQuery(const std::string& signing_service, const std::string& version,
                              const std::string& action,
                              const std::vector<std::pair<std::string, std::string>>& params);
  // REST (S3): path must already be URI-encoded. Errors are parsed from S3's <Error>.
  Result<http::Response> CallRest(const std::string& method, const std::string& path,
                                  const std::string& raw_query, http::Headers headers,
                                  std::string body, const std::string& signing_service = "s3");

  const ClientConfig& config() const { return config_; }
  Transport& transport() { return transport_; }

 private:
  Result<http::Response> SendSigned(http::Request req, const std::string& service);

  Transport& transport_;
  const ClientConfig config_;
  const Clock& clock_;
  const RetryPolicy retry_;
};

// Parses an error response of any protocol into an AwsError (code after '#', query Code).
AwsError ParseErrorResponse(const http::Response& res);

}  // namespace edastack::client
