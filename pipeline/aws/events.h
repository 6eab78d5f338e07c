// Typed EventBridge calls (JSON 1.1) over client::AwsClient, on the default bus unless told.
// Holds a reference to the client (which must outlive it). Thread-safe when the client is.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/client/aws_client.h"
#include "protocol/core/result.h"

namespace edastack::pipeline::aws {

struct EventTarget {
  std::string id;
  std::string arn;
};

class Events {
 public:
  explicit Events(client::AwsClient& client) : client_(client) {}

  // Returns the RuleArn.
  Result<std::string> PutRule(const std::string& name, const std::string& event_pattern,
                              const std::string& description = "");
  // {Name, Arn, EventPattern, State, ...}; ResourceNotFoundException when absent.
  Result<nlohmann::json> DescribeRule(const std::string& name);
  Status DeleteRule(const std::string& name);
  Status PutTargets(const std::string& rule, const std::vector<EventTarget>& targets);
  Result<std::vector<EventTarget>> ListTargetsByRule(const std::string& rule);
  Status RemoveTargets(const std::string& rule, const std::vector<std::string>& ids);

 private:
  Result<nlohmann::json> Call(const std::string& op, const nlohmann::json& body);
  client::AwsClient& client_;
};

}  // namespace edastack::pipeline::aws
