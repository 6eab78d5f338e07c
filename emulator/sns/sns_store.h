// SNS persistence: SQL only. Every function requires the database lock and runs inside the
// caller's storage::Transaction. Not thread-safe by itself (the lock is the guard).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "emulator/sns/sns_types.h"
#include "emulator/storage/database.h"

namespace edastack::sns {

class SnsStore {
 public:
  // `db` must outlive the store.
  explicit SnsStore(storage::Database& db) : db_(db) {}
  static const std::vector<storage::Migration>& Migrations();

  // Topics.
  void InsertTopic(const Topic& t, int64_t now_ms);
  std::optional<Topic> GetTopic(const std::string& arn);
  void SetTopicAttributes(const std::string& arn, const std::map<std::string, std::string>& attrs);
  // Removes the topic, its subscriptions and its tags.
  void DeleteTopic(const std::string& arn);
  // (rowid, arn) pairs with rowid > after, in rowid order.
  std::vector<std::pair<int64_t, std::string>> ListTopics(const std::string& account,
                                                          const std::string& region,
                                                          int64_t after, int limit);
  // Increments and returns the topic's FIFO sequence counter.
  int64_t NextSequence(const std::string& arn);

  // Tags, in key order.
  Tags GetTags(const std::string& arn);
  void PutTag(const std::string& arn, const std::string& key, const std::string& value);
  void DeleteTag(const std::string& arn, const std::string& key);

  // Subscriptions.
  void InsertSubscription(const Subscription& s, int64_t now_ms);
  std::optional<Subscription> GetSubscription(const std::string& arn);
  std::optional<Subscription> FindSubscription(const std::string& topic_arn,
                                               const std::string& protocol,
                                               const std::string& endpoint);
  std::optional<Subscription> FindByToken(const std::string& topic_arn, const std::string& token);
  void UpdateSubscription(const Subscription& s);
  void DeleteSubscription(const Subscription& s);
  // Subscriptions with rowid > after (all topics when topic_arn is empty), with their rowid.
  std::vector<std::pair<int64_t, Subscription>> ListSubscriptions(const std::string& account,
                                                                  const std::string& region,
                                                                  const std::string& topic_arn,
                                                                  int64_t after, int limit);
  // (confirmed, pending) counts.
  std::pair<int64_t, int64_t> CountSubscriptions(const std::string& topic_arn);

  // FIFO deduplication: the message id and sequence number of an earlier publish with this
  // dedup id that has not expired at now_ms.
  std::optional<std::pair<std::string, std::string>> FindDedup(const std::string& topic_arn,
                                                               const std::string& dedup_id,
                                                               int64_t now_ms);
  void PutDedup(const std::string& topic_arn, const std::string& dedup_id,
                const std::string& message_id, const std::string& seq, int64_t expires_ms);

 private:
  Subscription ReadSubscription(storage::Statement& st);
  storage::Database& db_;
};

std::string AttributesToJson(const std::map<std::string, std::string>& attrs);
std::map<std::string, std::string> AttributesFromJson(const std::string& text);

}  // namespace edastack::sns
