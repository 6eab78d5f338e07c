// Deploys, diffs and destroys a ResourceSet through the AWS wire API, idempotently.
// Also resolves an already deployed set into the Environment the functions need.
// Holds a reference to the Apis (which must outlive it). Not thread-safe; use from one thread.
#pragma once

#include <string>
#include <vector>

#include "pipeline/aws/apis.h"
#include "pipeline/resources/resource_set.h"

namespace edastack::pipeline {

// How S3 object events reach the ingest queue.
enum class S3Delivery {
  kAuto,         // EventBridge if the endpoint keeps <EventBridgeConfiguration/>, else fallback
  kEventBridge,  // S3 -> EventBridge -> rule -> ingest queue (fail if unsupported)
  kQueue,        // fallback: S3 QueueConfiguration -> ingest queue
};
bool ParseS3Delivery(const std::string& text, S3Delivery* out);

// What the running functions need to know about the deployed set.
struct Environment {
  ResourceNames names;
  std::string region;
  std::string account;
  std::string topic_arn;
  std::string notifications_topic_arn;
  std::string queue_url;
  std::string dlq_url;
  std::string confirmation_queue_url;
  std::string ingest_queue_url;
  std::string table;
  std::string bucket;
};

struct Change {
  std::string kind;    // "queue", "topic", "subscription", "table", "rule", "bucket", ...
  std::string name;
  std::string action;  // created | updated | unchanged | deleted | absent | would create | ...
  std::string detail;  // why, or the fallback in use
};

struct DeployReport {
  std::vector<Change> changes;
  bool ok = true;
  std::string error;   // the first failure
  Environment env;     // filled by Deploy (not by a dry run of missing resources)
  // Printable, one line per change.
  std::string Text() const;
};

class Deployer {
 public:
  Deployer(aws::Apis& apis, ResourceSet set, S3Delivery delivery = S3Delivery::kAuto)
      : apis_(apis), set_(std::move(set)), delivery_(delivery) {}

  // Creates what is missing and updates what differs. With dry_run (diff) changes nothing
  // and reports "would create" / "would update" / "unchanged".
  DeployReport Deploy(bool dry_run = false);
  // Removes everything in the set (emptying the bucket first).
  DeployReport Destroy();
  // Looks the deployed set up without changing anything; an error names what is missing.
  Result<Environment> Resolve();

 private:
  void DeployTopics(bool dry, DeployReport* r);
  void DeployQueues(bool dry, DeployReport* r);
  void DeploySubscriptions(bool dry, DeployReport* r);
  void DeployTable(bool dry, DeployReport* r);
  void DeployRule(bool dry, DeployReport* r);
  void DeployBucket(bool dry, DeployReport* r);
  std::map<std::string, std::string> QueueAttributes(const QueueSpec& q) const;
  std::string QueueArn(const std::string& name) const;
  std::string TopicArn(const std::string& name) const;
  std::string RuleArn() const;
  std::string NotificationXml(bool eventbridge) const;
  void Fail(DeployReport* r, const std::string& kind, const std::string& name,
            const AwsError& e);

  aws::Apis& apis_;
  const ResourceSet set_;
  const S3Delivery delivery_;
  std::string account_;
  std::map<std::string, std::string> topic_arns_;  // name -> arn
  std::map<std::string, std::string> queue_urls_;  // name -> url
};

}  // namespace edastack::pipeline
