// SNS operations: one method per AWS action, typed request + RequestContext in, Result out.
// Each takes the database lock and runs in one transaction; none does network I/O.
// Thread-safe. Also owns the per-topic subscriber cache used by fan-out.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "emulator/server/context.h"
#include "emulator/sns/sns_filter.h"
#include "emulator/sns/sns_store.h"
#include "emulator/sns/sns_types.h"
#include "emulator/storage/database.h"
#include "emulator/storage/outbox.h"
#include "protocol/core/result.h"

namespace edastack::sns {

// One confirmed subscriber as fan-out sees it. Immutable.
struct Subscriber {
  Subscription sub;
  std::shared_ptr<const FilterPolicy> filter;  // null: every message passes
};
using SubscriberList = std::vector<std::shared_ptr<const Subscriber>>;

// What Publish hands to delivery once its transaction has committed.
struct Fanout {
  PublishedMessage message;
  std::string topic_delivery_policy;  // the topic's DeliveryPolicy attribute, may be empty
  std::string signature_version;      // "1" or "2"
  // The signature of the SQS envelope, made by Delivery::Dispatch (empty: no envelope
  // subscriber). Not in the outbox payload: a replay signs again.
  std::string signature;
  std::shared_ptr<const SubscriberList> subscribers;
  int64_t outbox_id = 0;          // the pending outbox row (0: none)
  storage::Outbox::Token done;    // set by delivery; its release marks the row delivered
};

// The outbox payload of a fan-out: everything but the subscribers (looked up again on
// replay) and the token. Decode returns nullopt for a payload it cannot read.
std::string EncodeFanout(const Fanout& f);
std::optional<Fanout> DecodeFanout(const std::string& payload);

// A pending http(s) subscription that needs its SubscriptionConfirmation POST.
struct ConfirmationRequest {
  Subscription sub;
  std::string origin;
  int64_t now_ms = 0;
  std::string signature_version;
  std::string topic_delivery_policy;
  int64_t outbox_id = 0;        // its pending outbox row, kind "sns-confirm" (0: none)
  storage::Outbox::Token done;  // set by delivery; its release marks the row delivered
};

// The outbox payload of a confirmation: the subscription's ARN (looked up again on replay)
// and the request's context. Decode returns nullopt for a payload it cannot read; the
// returned request's `sub` holds only the ARN.
std::string EncodeConfirmation(const ConfirmationRequest& c);
std::optional<ConfirmationRequest> DecodeConfirmation(const std::string& payload);

class SnsBackend {
 public:
  // `db` (and `outbox`, if given) must outlive the backend; runs the SNS migrations. With an
  // outbox, Publish records each fan-out in it in the publish transaction.
  explicit SnsBackend(storage::Database& db, storage::Outbox* outbox = nullptr);

  Result<std::string> CreateTopic(const RequestContext& ctx, const CreateTopicRequest& req);
  Status DeleteTopic(const RequestContext& ctx, const std::string& topic_arn);
  Result<Page> ListTopics(const RequestContext& ctx, const std::string& next_token);
  Result<std::map<std::string, std::string>> GetTopicAttributes(const RequestContext& ctx,
                                                                const std::string& topic_arn);
  Status SetTopicAttributes(const RequestContext& ctx, const std::string& topic_arn,
                            const std::string& name, const std::string& value);

  // For http(s) subscriptions *confirm is set to the confirmation to send.
  Result<SubscribeResponse> Subscribe(const RequestContext& ctx, const SubscribeRequest& req,
                                      std::optional<ConfirmationRequest>* confirm);
  Status Unsubscribe(const RequestContext& ctx, const std::string& subscription_arn);
  Result<std::string> ConfirmSubscription(const RequestContext& ctx, const std::string& topic_arn,
                                          const std::string& token);
  Result<SubscriptionPage> ListSubscriptions(const RequestContext& ctx,
                                             const std::string& next_token);
  Result<SubscriptionPage> ListSubscriptionsByTopic(const RequestContext& ctx,
                                                    const std::string& topic_arn,
                                                    const std::string& next_token);
  Result<std::map<std::string, std::string>> GetSubscriptionAttributes(
      const RequestContext& ctx, const std::string& subscription_arn);
  Status SetSubscriptionAttributes(const RequestContext& ctx, const std::string& subscription_arn,
                                   const std::string& name, const std::string& value);

  // On success appends what to deliver to *fanout (deliver after this returns).
  Result<PublishResponse> Publish(const RequestContext& ctx, const PublishRequest& req,
                                  std::vector<Fanout>* fanout);
  Result<PublishBatchResponse> PublishBatch(const RequestContext& ctx,
                                            const PublishBatchRequest& req,
                                            std::vector<Fanout>* fanout);

  Status TagResource(const RequestContext& ctx, const std::string& arn, const Tags& tags);
  Status UntagResource(const RequestContext& ctx, const std::string& arn,
                       const std::vector<std::string>& keys);
  Result<Tags> ListTagsForResource(const RequestContext& ctx, const std::string& arn);

  // Drops cached subscriber lists (after a reset).
  void ClearCache();
  // Takes the database lock: the confirmed subscribers of a topic (outbox replay).
  std::shared_ptr<const SubscriberList> SubscribersOf(const std::string& topic_arn);
  // Takes the database lock: the confirmation an "sns-confirm" outbox row still owes, or
  // nullopt when it owes none (unreadable, unsubscribed, or confirmed since).
  std::optional<ConfirmationRequest> ReplayConfirmation(const std::string& payload);

 private:
  // Requires the database lock and an open transaction: the confirmation to send for `sub`,
  // recorded in the outbox.
  ConfirmationRequest PendingConfirmation(const RequestContext& ctx, const Subscription& sub,
                                          Topic& topic);
  // Requires the database lock.
  std::shared_ptr<const SubscriberList> Subscribers(const std::string& topic_arn);
  void Invalidate(const std::string& topic_arn);
  // Validates one publish entry against `topic` and records it (dedup, sequence).
  // Requires the database lock and an open transaction.
  Result<PublishResponse> PublishOne(const RequestContext& ctx, const Topic& topic,
                                     const PublishEntry& entry, std::vector<Fanout>* fanout);

  storage::Database& db_;
  storage::Outbox* outbox_;
  SnsStore store_;
  std::mutex cache_mu_;
  // Guarded by cache_mu_ (filled with the database lock held):
  std::unordered_map<std::string, std::shared_ptr<const SubscriberList>> cache_;
};

// ARN helpers.
struct Arn {
  std::string service, region, account, resource;
};
std::optional<Arn> ParseArn(const std::string& arn);
std::string TopicArn(const RequestContext& ctx, const std::string& name);
// Validates the attributes a subscription may carry (shared by Subscribe/Set...).
Status ValidateSubscriptionAttribute(const std::string& name, const std::string& value);
// Validates one publish entry without a database (message, subject, attributes, structure).
Status ValidatePublishEntry(const Topic& topic, const PublishEntry& entry);

}  // namespace edastack::sns
