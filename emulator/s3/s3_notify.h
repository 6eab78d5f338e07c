// S3 event notifications (PROTOCOLS.md §4.4, §6.5): the configuration document, event
// matching (event-name wildcards, prefix/suffix key filters), the event JSON, and delivery to
// SQS / SNS / EventBridge through the AWS wire API (Emulator::Handle) and to in-process
// functions. Delivery happens after the triggering change committed and never fails it.
//
// Durability (storage/outbox.h): the change's transaction also records the notifications it
// owes as one outbox row (Notifier::Record); after the commit the work goes to the
// notifier's dispatch thread, and the row is marked delivered once every destination was
// tried. Rows left by a crash are replayed by Start(). Notifier is thread-safe.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
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
  // ObjectRestore events: the archive class restored from and, once completed, when the
  // restored copy expires.
  std::string source_storage_class{};  // (initialized: older call sites omit it)
  int64_t restore_expiry_ms = 0;
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
  // `emu` must outlive the notifier. Starts the dispatch thread.
  explicit Notifier(Emulator& emu);
  ~Notifier();
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  // Checks each destination exists (by sending it an s3:TestEvent); InvalidArgument
  // "Unable to validate the following destination configurations" otherwise.
  Status Validate(const RequestContext& ctx, const std::string& bucket,
                  const NotificationConfig& cfg);
  // Requires the database lock and the open transaction of the change that produced
  // `events` (call it just before that transaction commits): records what the bucket's stored
  // configuration says to deliver as one outbox row, and hands it to the dispatch thread
  // once the transaction commits. Never fails the change; errors are logged.
  void Record(const RequestContext& ctx, const std::vector<S3Event>& events,
              const std::string& source_ip);
  // Once every service is registered: replays the rows left pending (oldest first).
  void Start();
  // Drops queued work (after a reset emptied the outbox).
  void Clear();
  // Stops the dispatch thread; queued work stays pending in the outbox. Idempotent.
  void Stop();

 private:
  // One destination of one event: kind "Queue" / "Topic" / "CloudFunction" (rule ARN and
  // the Records JSON) or "EventBridge" (the PutEvents entry JSON).
  struct Send {
    std::string kind, arn, body;
  };
  struct Work {
    RequestContext ctx;
    std::vector<Send> sends;
    storage::Outbox::Token done;
  };
  static std::string Encode(const RequestContext& ctx, const std::vector<Send>& sends);
  static std::optional<Work> Decode(const std::string& payload);

  void Run();
  bool Deliver(const RequestContext& ctx, const NotificationRule& rule, const std::string& body);
  void PutEvents(const RequestContext& ctx, const std::string& entry);

  Emulator& emu_;
  std::mutex mu_;
  std::condition_variable cv_;
  // Guarded by mu_:
  std::deque<Work> queue_;
  bool stop_ = false;

  std::thread thread_;  // last: starts after the members above exist
};

}  // namespace edastack::s3
