// SNS domain types and typed requests/responses (no XML, no SQL). Plain values.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace edastack::sns {

// One message attribute as published. `value` is the StringValue, or the decoded bytes of a
// BinaryValue when the type starts with "Binary".
struct MessageAttribute {
  std::string data_type;
  std::string value;
  bool IsBinary() const { return data_type.rfind("Binary", 0) == 0; }
};
using MessageAttributes = std::map<std::string, MessageAttribute>;

using Tags = std::vector<std::pair<std::string, std::string>>;

struct Topic {
  std::string account, region, name, arn;
  // User-set attributes (DisplayName, Policy, DeliveryPolicy, FifoTopic, ...).
  std::map<std::string, std::string> attributes;
  int64_t subscriptions_deleted = 0;
  bool IsFifo() const;
  bool ContentBasedDedup() const;
};

struct Subscription {
  std::string account, region, arn, topic_arn, protocol, endpoint, token;
  bool confirmed = false;
  // User-set attributes (RawMessageDelivery, FilterPolicy, FilterPolicyScope, RedrivePolicy,
  // DeliveryPolicy, SubscriptionRoleArn).
  std::map<std::string, std::string> attributes;
  bool Raw() const;
};

struct CreateTopicRequest {
  std::string name;
  std::map<std::string, std::string> attributes;
  Tags tags;
};

struct SubscribeRequest {
  std::string topic_arn, protocol, endpoint;
  std::map<std::string, std::string> attributes;
  bool return_subscription_arn = false;
};

struct SubscribeResponse {
  std::string subscription_arn;  // "pending confirmation" for unconfirmed http(s)
};

struct PublishEntry {
  std::string id;  // batch entries only
  std::string message, subject, message_structure;
  MessageAttributes attributes;
  std::optional<std::string> group_id, dedup_id;
};

struct PublishRequest {
  std::string topic_arn;  // TopicArn or TargetArn
  PublishEntry entry;
};

struct PublishResponse {
  std::string message_id;
  std::string sequence_number;  // FIFO only
};

struct PublishBatchRequest {
  std::string topic_arn;
  std::vector<PublishEntry> entries;
};

struct BatchResultEntry {
  std::string id, message_id, sequence_number;
};
struct BatchErrorEntry {
  std::string id, code, message;
  bool sender_fault = true;
};
struct PublishBatchResponse {
  std::vector<BatchResultEntry> successful;
  std::vector<BatchErrorEntry> failed;
};

struct Page {
  std::vector<std::string> items;
  std::string next_token;
};

struct SubscriptionPage {
  std::vector<Subscription> items;
  std::string next_token;
};

// A message accepted by Publish, ready to fan out (after the transaction committed).
struct PublishedMessage {
  std::string message_id, topic_arn, sequence_number;
  PublishEntry entry;
  std::string dedup_id;  // effective, FIFO only
  int64_t timestamp_ms = 0;
  std::string origin;  // http://host:port of the publishing request (for URLs)
};

}  // namespace edastack::sns
