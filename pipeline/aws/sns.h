// Typed SNS calls (query protocol) over client::AwsClient. One method per AWS operation.
// Holds a reference to the client (which must outlive it). Thread-safe when the client is.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "protocol/client/aws_client.h"
#include "protocol/core/result.h"

namespace edastack::pipeline::aws {

struct SnsSubscription {
  std::string subscription_arn;
  std::string protocol;
  std::string endpoint;
  std::string topic_arn;
};

struct SnsBatchEntry {
  std::string id;       // [A-Za-z0-9_-]{1,80}, distinct within the batch
  std::string message;
  std::string subject;  // may be empty
};

// PublishBatch's answer: entry id -> MessageId for the published ones, (id, code) for the
// others.
struct PublishBatchOutcome {
  std::map<std::string, std::string> successful;
  std::vector<std::pair<std::string, std::string>> failed;
};

// AWS's PublishBatch limits: 10 entries, 256 KiB of messages (and subjects) in total.
inline constexpr size_t kMaxPublishBatchEntries = 10;
inline constexpr size_t kMaxPublishBatchBytes = 256 * 1024;

class Sns {
 public:
  explicit Sns(client::AwsClient& client) : client_(client) {}

  Result<std::string> CreateTopic(const std::string& name);  // the TopicArn
  Status DeleteTopic(const std::string& topic_arn);
  Result<std::vector<std::string>> ListTopics();  // every page
  Result<std::string> Subscribe(const std::string& topic_arn, const std::string& protocol,
                                const std::string& endpoint,
                                const std::map<std::string, std::string>& attributes = {});
  Status Unsubscribe(const std::string& subscription_arn);
  Result<std::map<std::string, std::string>> GetSubscriptionAttributes(
      const std::string& subscription_arn);
  Status SetSubscriptionAttributes(const std::string& subscription_arn, const std::string& name,
                                   const std::string& value);
  Result<std::vector<SnsSubscription>> ListSubscriptionsByTopic(const std::string& topic_arn);
  // Returns the MessageId.
  Result<std::string> Publish(const std::string& topic_arn, const std::string& message,
                              const std::string& subject = "");
  // 1..10 entries within kMaxPublishBatchBytes (the caller splits larger sets).
  Result<PublishBatchOutcome> PublishBatch(const std::string& topic_arn,
                                           const std::vector<SnsBatchEntry>& entries);

 private:
  Result<xml::Node> Call(const std::string& action,
                         const std::vector<std::pair<std::string, std::string>>& params);
  client::AwsClient& client_;
};

// "arn:aws:sns:us-east-1:000000000000:t" -> "t"; likewise for any ARN's last ':' field.
std::string ArnResourceName(const std::string& arn);
// The account field (5th) of an ARN, or "".
std::string ArnAccount(const std::string& arn);

}  // namespace edastack::pipeline::aws
