// SQS operations: one method per AWS action, typed request + RequestContext in,
// Result<response> out. They never see HTTP, JSON or XML.
//
// Ownership and threading: the backend borrows the Database and the Clock (both outlive it).
// Thread-safe: every action takes the database lock, runs one transaction, commits and
// releases the lock; ReceiveMessage waits for messages (long poll) on a per-queue condition
// variable with the lock released. Sends, visibility changes to 0 and redrives wake waiters.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "emulator/server/context.h"
#include "emulator/sqs/sqs_store.h"
#include "emulator/sqs/sqs_types.h"
#include "protocol/core/clock.h"

namespace edastack::sqs {

class SqsBackend {
 public:
  SqsBackend(storage::Database& db, const Clock& clock);
  SqsBackend(const SqsBackend&) = delete;
  SqsBackend& operator=(const SqsBackend&) = delete;

  // Queues (sqs_queue_ops.cc)
  Result<QueueUrlResult> CreateQueue(const RequestContext& ctx, const CreateQueueRequest& req);
  Result<QueueUrlResult> GetQueueUrl(const RequestContext& ctx, const GetQueueUrlRequest& req);
  Result<ListQueuesResult> ListQueues(const RequestContext& ctx, const ListQueuesRequest& req);
  Result<Empty> DeleteQueue(const RequestContext& ctx, const QueueRequest& req);
  Result<AttributesResult> GetQueueAttributes(const RequestContext& ctx,
                                              const GetQueueAttributesRequest& req);
  Result<Empty> SetQueueAttributes(const RequestContext& ctx, const SetQueueAttributesRequest& req);
  Result<Empty> PurgeQueue(const RequestContext& ctx, const QueueRequest& req);
  Result<Empty> TagQueue(const RequestContext& ctx, const TagQueueRequest& req);
  Result<Empty> AddPermission(const RequestContext& ctx, const AddPermissionRequest& req);
  Result<Empty> RemovePermission(const RequestContext& ctx, const RemovePermissionRequest& req);
  Result<Empty> UntagQueue(const RequestContext& ctx, const UntagQueueRequest& req);
  Result<TagsResult> ListQueueTags(const RequestContext& ctx, const QueueRequest& req);
  Result<ListQueuesResult> ListDeadLetterSourceQueues(const RequestContext& ctx,
                                                      const ListDeadLetterSourceQueuesRequest& req);
  // Move tasks (sqs_move_tasks.cc). Tasks run to completion inside StartMessageMoveTask's
  // transaction (no background thread), so they are listed as COMPLETED.
  Result<StartMessageMoveTaskResult> StartMessageMoveTask(const RequestContext& ctx,
                                                          const StartMessageMoveTaskRequest& req);
  Result<ListMessageMoveTasksResult> ListMessageMoveTasks(const RequestContext& ctx,
                                                          const ListMessageMoveTasksRequest& req);
  Result<CancelMessageMoveTaskResult> CancelMessageMoveTask(
      const RequestContext& ctx, const CancelMessageMoveTaskRequest& req);

  // Messages (sqs_message_ops.cc)
  Result<SendResult> SendMessage(const RequestContext& ctx, const SendMessageRequest& req);
  Result<SendMessageBatchResult> SendMessageBatch(const RequestContext& ctx,
                                                  const SendMessageBatchRequest& req);
  Result<Empty> DeleteMessage(const RequestContext& ctx, const DeleteMessageRequest& req);
  Result<HandleBatchResult> DeleteMessageBatch(const RequestContext& ctx,
                                               const HandleBatchRequest& req);
  Result<Empty> ChangeMessageVisibility(const RequestContext& ctx,
                                        const ChangeVisibilityRequest& req);
  Result<HandleBatchResult> ChangeMessageVisibilityBatch(const RequestContext& ctx,
                                                         const HandleBatchRequest& req);
  // Receives (sqs_receive.cc). Blocks up to WaitTimeSeconds (request, else the queue's).
  Result<ReceiveMessageResult> ReceiveMessage(const RequestContext& ctx,
                                              const ReceiveMessageRequest& req);

  // After the tables were cleared: forget cached queues, wake every waiter.
  void OnReset();
  // Wake every waiter and make later waits return at once.
  void Shutdown();

 private:
  struct Signal {
    std::condition_variable cv;
    uint64_t generation = 0;
  };
  struct Attempt {  // a FIFO ReceiveRequestAttemptId
    int64_t expires_ms;
    std::vector<std::pair<int64_t, std::string>> rows;  // row id, token
  };
  struct ReceiveOutcome {
    ReceiveMessageResult result;
    std::optional<int64_t> next_visible_ms;
    std::vector<int64_t> woken_queues;  // DLQs that got messages
    int64_t queue_id = 0;
    int64_t wait_seconds = 0;
    uint64_t generation = 0;
  };

  // Requires the lock. Resolves a queue URL's last two path segments (host ignored).
  Result<const Queue*> ResolveUrl(const RequestContext& ctx, const std::string& url);
  Result<const Queue*> ResolveName(const RequestContext& ctx, const std::string& name);
  const Queue* ResolveArn(const std::string& arn);
  void Invalidate(const Queue& q);
  std::string QueueUrl(const RequestContext& ctx, const Queue& q) const;

  // Requires the lock and an open transaction.
  // A send entry validated and hashed without the lock; Enqueue finishes it under the lock.
  struct PreparedSend {
    const SendEntry* entry = nullptr;
    SendResult result;
    MessageRow row;
    size_t size = 0;  // body + attributes, against MaximumMessageSize
  };
  static Result<PreparedSend> PrepareSend(const RequestContext& ctx, const SendEntry& e);
  Result<SendResult> Enqueue(const RequestContext& ctx, const Queue& q, PreparedSend& p);
  Status ChangeVisibilityOne(const RequestContext& ctx, const Queue& q,
                             const std::string& handle, std::optional<int64_t> timeout,
                             bool* woke);
  Status DeleteOne(const Queue& q, const std::string& handle);
  // Moves a message row to `dlq` (keeps id, body, attributes, SentTimestamp).
  void MoveMessage(const MessageRow& m, const Queue& dlq, int64_t now_ms,
                   const std::string& source_arn);
  Result<ReceiveOutcome> ReceiveOnce(const RequestContext& ctx, const ReceiveMessageRequest& req,
                                     int64_t now_ms);
  ReceivedMessage Deliver(const Queue& q, const MessageRow& m, const ReceiveMessageRequest& req,
                          int64_t now_ms, int64_t visibility);

  uint64_t Generation(int64_t queue_id);
  void Notify(int64_t queue_id);
  // Waits until the queue's generation differs from `seen`, or until `until`.
  void WaitFor(int64_t queue_id, uint64_t seen, std::chrono::steady_clock::time_point until);

  storage::Database& db_;
  const Clock& clock_;
  SqsStore store_;

  // Guarded by the database lock:
  std::unordered_map<std::string, std::unique_ptr<Queue>> cache_;  // account\nregion\nname
  std::map<std::pair<int64_t, std::string>, Attempt> attempts_;

  // Guarded by signal_mu_:
  std::mutex signal_mu_;
  std::unordered_map<int64_t, Signal> signals_;
  bool stopping_ = false;
};

}  // namespace edastack::sqs
