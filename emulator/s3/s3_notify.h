// S3 event notifications (PROTOCOLS.md §4.4, §6.5): the configuration document, event
// matching (event-name wildcards, prefix/suffix key filters), the event JSON, and delivery to
// SQS / SNS / EventBridge through the AWS wire API (Emulator::Handle) and to in-process
// functions. Delivery happens after the triggering change committed and never fails it.
// Notifier is thread-safe (it holds no mutable state of its own).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulator/server/emulator.h"
#include "protocol/core/result.h"
#include "protocol/query/xml_reader.h"

namespace edastack::s3 {

struct NotificationRule {
  std::string kind;  // "Queue", "Topic", "CloudFunction"
  std::string id;
  std::string arn;
  std::vector<std::string> events;                          // "s3:ObjectCreated:*"
  std::vector<std::pair<std::string, std::string>> filters;  // ("Prefix", "ev/")
};

struct NotificationConfig {
  std::vector<NotificationRule> rules;
  bool eventbridge = false;
};

// Parses the XML document (Queue/Topic/CloudFunction/EventBridge configurations).
Result<NotificationConfig> ParseNotificationConfig(const xml::Node& doc);
std::string RenderNotificationConfig(const NotificationConfig& cfg);

// "s3:ObjectCreated:*" matches "ObjectCreated:Put"; exact names match themselves.
bool EventNameMatches(const std::string& configured, const std::string& event_name);
bool RuleMatches(const NotificationRule& rule, const std::string& event_name,
                 const std::string& key);
// Form-URL-encoding of keys in event records: space → '+', '/' kept, others %XX.
std::string FormEncodeKey(const std::string& key);

struct S3Event {
  std::string name;  // "ObjectCreated:Put"
  std::string bucket, key, etag, version_id;
  uint64_t size = 0;
  int64_t seq = 0;
  int64_t time_ms = 0;
  std::string reason;         // EventBridge: "PutObject", "CopyObject", ...
  std::string deletion_type;  // EventBridge: "Permanently Deleted" / "Delete Marker Created"
  bool versioned = false;
};

// {"Records":[...]} for one rule.
std::string RecordsJson(const S3Event& e, const std::string& configuration_id,
                           const std::string& region, const std::string& account,
                           const std::string& request_id, const std::string& source_ip);
// The EventBridge PutEvents entry (Source aws.s3, DetailType, Detail) for an event; null
// when the event has no EventBridge form.
nlohmann::json EventBridgeEntry(const S3Event& e, const std::string& region,
                                const std::string& account, const std::string& request_id,
                                const std::string& source_ip);
// 16 hex digits growing with `seq`.
std::string Sequencer(int64_t seq);

class Notifier {
 public:
  explicit Notifier(Emulator& emu) : emu_(emu) {}
  // Checks each destination exists (by sending it an s3:TestEvent); InvalidArgument
  // "Unable to validate the following destination configurations" otherwise.
  Status Validate(const RequestContext& ctx, const std::string& bucket,
                  const NotificationConfig& cfg);
  // Delivers `events` according to the bucket's stored configuration. Never fails; errors
  // are logged. Takes the database lock briefly; call without holding it.
  void Publish(const RequestContext& ctx, const std::vector<S3Event>& events,
               const std::string& source_ip);

 private:
  bool Deliver(const RequestContext& ctx, const NotificationRule& rule, const std::string& body);
  void PutEvents(const RequestContext& ctx, const nlohmann::json& entry);

  Emulator& emu_;
};

}  // namespace edastack::s3
