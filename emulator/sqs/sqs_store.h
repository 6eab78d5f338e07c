// SQS persistence: the only file with SQL for SQS. Every call requires the database lock and
// runs inside the caller's transaction. Not thread-safe by itself (the lock serializes).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "emulator/sqs/sqs_queue_config.h"
#include "emulator/storage/database.h"

namespace edastack::sqs {

std::vector<storage::Migration> SqsMigrations();

// One stored message.
struct MessageRow {
  int64_t row_id = 0;
  int64_t queue_id = 0;
  std::string message_id;
  std::string body;
  std::string attrs;      // EncodeAttributes form
  std::string sys_attrs;  // EncodeAttributes form (AWSTraceHeader)
  std::string md5_body;
  std::string md5_attrs;
  std::string sender_id;
  int64_t sent_ms = 0;
  int64_t visible_at_ms = 0;
  int64_t receive_count = 0;
  int64_t first_receive_ms = 0;
  std::string token;  // of the latest receive
  std::string group_id, dedup_id;
  int64_t seq = 0;  // FIFO sequence, 0 for standard
  std::string source_arn;  // DeadLetterQueueSourceArn after a redrive
};

// Light row used to pick FIFO candidates without loading bodies.
struct MessageMeta {
  int64_t row_id;
  int64_t visible_at_ms;
  int64_t sent_ms;
  std::string group_id;
  int64_t receive_count;
};

struct QueueCounts {
  int64_t visible = 0, not_visible = 0, delayed = 0;
};

struct MoveTaskRow {
  std::string handle;
  std::string account, region;
  std::string source_arn, destination_arn;
  std::optional<int64_t> max_per_second;
  std::string status;
  int64_t moved = 0, to_move = 0, started_ms = 0;
  std::string failure_reason;
};

class SqsStore {
 public:
  explicit SqsStore(storage::Database& db) : db_(db) {}

  // ---- queues ----
  std::optional<Queue> FindQueue(const std::string& account, const std::string& region,
                                 const std::string& name);
  int64_t InsertQueue(const Queue& q);
  void UpdateQueueAttributes(int64_t id, const StringMap& attrs, int64_t modified_s);
  void UpdateQueueTags(int64_t id, const StringMap& tags);
  void SetPurged(int64_t id, int64_t purged_ms);
  void DeleteQueue(int64_t id);
  // Names in byte order after `after`, starting with `prefix`, at most `limit`.
  std::vector<std::string> ListQueueNames(const std::string& account, const std::string& region,
                                          const std::string& prefix, const std::string& after,
                                          int64_t limit);
  // All queues of (account, region) as name -> attrs JSON (for DLQ source lookups).
  std::vector<Queue> ListQueues(const std::string& account, const std::string& region);
  // Next FIFO sequence number of the queue (increments the stored counter).
  int64_t NextSequence(int64_t queue_id);

  // ---- messages ----
  int64_t InsertMessage(const MessageRow& m);
  // Up to `limit` visible messages (visible_at <= now), in visibility then send order.
  std::vector<MessageRow> SelectVisible(int64_t queue_id, int64_t now_ms, int64_t limit);
  // Every message of the queue in send order, without bodies (FIFO selection).
  std::vector<MessageMeta> SelectAllMeta(int64_t queue_id);
  std::optional<MessageRow> GetMessage(int64_t row_id);
  void MarkReceived(int64_t row_id, int64_t visible_at_ms, int64_t receive_count,
                    int64_t first_receive_ms, const std::string& token);
  void SetVisibleAt(int64_t row_id, int64_t visible_at_ms);
  // Returns whether a row was deleted.
  bool DeleteMessage(int64_t row_id);
  // Deletes messages sent at or before `sent_ms`; returns how many.
  int64_t DeleteSentBefore(int64_t queue_id, int64_t sent_ms);
  QueueCounts Counts(int64_t queue_id, int64_t now_ms);
  // Earliest visible_at strictly after now, if any.
  std::optional<int64_t> NextVisibleAt(int64_t queue_id, int64_t now_ms);
  // Messages of the queue in send order (for move tasks), full rows.
  std::vector<MessageRow> SelectAll(int64_t queue_id);

  // ---- FIFO deduplication ----
  // The message id and sequence recorded for (queue, scope, dedup id) if not expired.
  std::optional<std::pair<std::string, int64_t>> FindDedup(int64_t queue_id,
                                                           const std::string& scope,
                                                           const std::string& dedup_id,
                                                           int64_t now_ms);
  void PutDedup(int64_t queue_id, const std::string& scope, const std::string& dedup_id,
                const std::string& message_id, int64_t seq, int64_t expires_ms);

  // ---- message move tasks ----
  void PutMoveTask(const MoveTaskRow& t);
  std::vector<MoveTaskRow> ListMoveTasks(const std::string& source_arn);
  std::optional<MoveTaskRow> GetMoveTask(const std::string& handle);

 private:
  storage::Database& db_;
};

}  // namespace edastack::sqs
