// Dead-letter queue redrive: Start/List/CancelMessageMoveTask.
//
// There is no background mover: StartMessageMoveTask moves every message of the DLQ inside
// its own transaction, then records the task as COMPLETED. So a task is never RUNNING when
// another call sees it, and CancelMessageMoveTask always finds nothing to cancel.
#include "emulator/sqs/sqs_backend.h"
#include "emulator/sqs/sqs_errors.h"
#include "protocol/core/crypto.h"
#include "protocol/core/ids.h"

namespace edastack::sqs {

Result<StartMessageMoveTaskResult> SqsBackend::StartMessageMoveTask(
    const RequestContext& ctx, const StartMessageMoveTaskRequest& req) {
  if (req.max_per_second && (*req.max_per_second < 1 || *req.max_per_second > 500))
    return err::InvalidParameterValue(
        "Value for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: must be between "
        "1 and 500.");
  std::vector<int64_t> woken;
  StartMessageMoveTaskResult out;
  {
    auto lock = db_.Lock();
    const Queue* src = ResolveArn(req.source_arn);
    if (!src) return err::ResourceNotFound("The resource that you specified for the SourceArn parameter doesn't exist.");
    // The source must be some queue's dead-letter queue.
    bool is_dlq = false;
    for (const Queue& q : store_.ListQueues(src->account, src->region))
      is_dlq = is_dlq || q.dlq_arn == src->Arn();
    if (!is_dlq)
      return err::InvalidParameterValue(
          "Source queue must be configured as a Dead Letter Queue.");
    const Queue* dest = nullptr;
    if (!req.destination_arn.empty()) {
      dest = ResolveArn(req.destination_arn);
      if (!dest)
        return err::ResourceNotFound(
            "The resource that you specified for the DestinationArn parameter doesn't exist.");
      if (dest->id == src->id)
        return err::InvalidParameterValue("Source and destination queues must be different.");
    }
    std::string src_arn = src->Arn();
    int64_t src_id = src->id;
    storage::Transaction tx(db_);
    int64_t moved = 0;
    auto rows = store_.SelectAll(src_id);
    for (const auto& m : rows) {
      const Queue* target = dest;
      if (!target) target = m.source_arn.empty() ? nullptr : ResolveArn(m.source_arn);
      if (!target || target->id == src_id) continue;  // no known origin: stays
      MessageRow copy = m;
      copy.source_arn.clear();
      MoveMessage(copy, *target, ctx.now_ms, "");
      ++moved;
      woken.push_back(target->id);
    }
    MoveTaskRow t;
    t.handle = crypto::Base64Encode(ids::Uuid() + "|" + src_arn);
    t.account = ctx.account;
    t.region = ctx.region;
    t.source_arn = src_arn;
    t.destination_arn = req.destination_arn;
    t.max_per_second = req.max_per_second;
    t.status = "COMPLETED";
    t.moved = moved;
    t.to_move = static_cast<int64_t>(rows.size());
    t.started_ms = ctx.now_ms;
    store_.PutMoveTask(t);
    tx.Commit();
    out.task_handle = t.handle;
  }
  for (int64_t id : woken) Notify(id);
  return out;
}

Result<ListMessageMoveTasksResult> SqsBackend::ListMessageMoveTasks(
    const RequestContext& ctx, const ListMessageMoveTasksRequest& req) {
  if (req.max_results && (*req.max_results < 1 || *req.max_results > 10))
    return err::InvalidParameterValue(
        "Value for parameter MaxResults is invalid. Reason: must be between 1 and 10.");
  auto lock = db_.Lock();
  const Queue* src = ResolveArn(req.source_arn);
  if (!src) return err::ResourceNotFound("The resource that you specified for the SourceArn parameter doesn't exist.");
  ListMessageMoveTasksResult out;
  int64_t limit = req.max_results.value_or(1);
  for (auto& t : store_.ListMoveTasks(src->Arn())) {
    if (static_cast<int64_t>(out.results.size()) >= limit) break;
    MessageMoveTask m;
    if (t.status == "RUNNING") m.task_handle = t.handle;
    m.status = t.status;
    m.source_arn = t.source_arn;
    m.destination_arn = t.destination_arn;
    m.max_per_second = t.max_per_second;
    m.moved = t.moved;
    m.to_move = t.to_move;
    m.failure_reason = t.failure_reason;
    m.started_ms = t.started_ms;
    out.results.push_back(std::move(m));
  }
  return out;
}

Result<CancelMessageMoveTaskResult> SqsBackend::CancelMessageMoveTask(
    const RequestContext& ctx, const CancelMessageMoveTaskRequest& req) {
  auto lock = db_.Lock();
  auto t = store_.GetMoveTask(req.task_handle);
  if (!t) return err::ResourceNotFound("Task does not exist.");
  if (t->status != "RUNNING")
    return err::ResourceNotFound("Only active tasks can be cancelled.");
  storage::Transaction tx(db_);
  t->status = "CANCELLED";
  store_.PutMoveTask(*t);
  tx.Commit();
  return CancelMessageMoveTaskResult{t->moved};
}

}  // namespace edastack::sqs
