// Client configuration from the standard AWS environment: credentials, region, endpoint.
#pragma once

#include <map>
#include <string>

#include "protocol/core/result.h"
#include "protocol/sigv4/signer.h"

namespace edastack::client {

struct ClientConfig {
  sigv4::Credentials credentials;
  std::string region = "us-east-1";
  std::string endpoint;  // empty: AWS's regional endpoints
  std::string ca_bundle;  // PEM file of CAs to trust for https (empty: the system's)
  // false sends requests unsigned: only for an in-process emulator that does not verify
  // SigV4 (it then takes the region from its own options, not the credential scope).
  bool sign = true;
};

// Reads AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, else the profile
// (AWS_PROFILE, default "default") from AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials;
// region from AWS_REGION / AWS_DEFAULT_REGION / ~/.aws/config; endpoint from
// AWS_ENDPOINT_URL; the https trust store from AWS_CA_BUNDLE or the profile's ca_bundle
// (~/.aws/config sections are "[default]" and "[profile NAME]"). `env` lets tests inject variables; nullptr reads the process env.
Result<ClientConfig> LoadConfig(const std::map<std::string, std::string>* env = nullptr);

// Parses an INI file of the ~/.aws/credentials form into section -> key -> value.
std::map<std::string, std::map<std::string, std::string>> ParseIni(const std::string& text);

}  // namespace edastack::client
