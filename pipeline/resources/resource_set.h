// The pipeline's resource set, declared once and deployed the same way to every target
// (the embedded emulator, moto, LocalStack, AWS). Plain data: the Deployer turns it into
// AWS calls. References between resources are by name; ARNs are resolved at deploy time.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "pipeline/resources/names.h"

namespace edastack::pipeline {

struct TopicSpec {
  std::string name;
};

struct QueueSpec {
  std::string name;
  std::map<std::string, std::string> attributes;  // literal attributes
  std::string dead_letter_queue;                   // queue name, or "" for no redrive
  int max_receive_count = 0;
  std::vector<std::string> allow_topics;           // policy: these topics may send
  bool allow_rule = false;                         // policy: the EventBridge rule may send
  bool allow_bucket = false;                       // policy: the bucket may send (fallback)
};

struct SubscriptionSpec {
  std::string topic;  // topic name
  std::string queue;  // queue name (protocol sqs)
  std::map<std::string, std::string> attributes;  // set on create, corrected on deploy
};

struct TableSpec {
  std::string name;
  std::string hash_key = "eventId";
  std::string gsi_name = "status-index";
  std::string gsi_hash = "status";
  std::string gsi_range = "createdAt";
  std::string ttl_attribute = "ttl";
};

struct RuleSpec {
  std::string name;
  std::string event_pattern;  // JSON text
  std::string target_id;
  std::string target_queue;   // queue name
};

struct BucketSpec {
  std::string name;
  std::string ingest_queue;   // fallback destination when EventBridge delivery is missing
};

struct ResourceSet {
  ResourceNames names;
  std::vector<TopicSpec> topics;
  std::vector<QueueSpec> queues;  // in creation order: a DLQ before the queues using it
  std::vector<SubscriptionSpec> subscriptions;
  TableSpec table;
  RuleSpec rule;
  BucketSpec bucket;
};

// The declared set for `names`. Pure.
ResourceSet DeclareResources(const ResourceNames& names);

// Visibility timeout of the main queue and the others (seconds), the DLQ retention (14 days)
// and the redrive threshold, as declared.
inline constexpr int kMainQueueVisibility = 30;
inline constexpr int kDlqRetentionSeconds = 14 * 24 * 3600;
inline constexpr int kMaxReceiveCount = 3;

}  // namespace edastack::pipeline
