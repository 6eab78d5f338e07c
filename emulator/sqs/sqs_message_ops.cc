// Message-level SQS actions: send, delete, change visibility (single and batch).
#include <set>

#include "emulator/sqs/sqs_backend.h"
#include "emulator/sqs/sqs_errors.h"
#include "emulator/sqs/sqs_message_codec.h"
#include "protocol/core/crypto.h"
#include "protocol/core/ids.h"

namespace edastack::sqs {
namespace {

std::string FormatSequence(int64_t seq) {
  // 20 digits, increasing: "1" followed by the counter zero-padded to 19 digits.
  std::string digits = std::to_string(seq);
  return "1" + std::string(19 - std::min<size_t>(19, digits.size()), '0') + digits;
}

// Whole-call batch validation shared by the three batch actions.
template <typename Entries, typename IdOf>
Status ValidateBatch(const Entries& entries, const std::string& entry_shape, IdOf id_of) {
  if (entries.empty()) return err::EmptyBatchRequest(entry_shape);
  if (entries.size() > 10) return err::TooManyEntriesInBatchRequest(entries.size());
  std::set<std::string> seen;
  for (const auto& e : entries) {
    const std::string& id = id_of(e);
    if (!IsValidBatchId(id)) return err::InvalidBatchEntryId(id);
    if (!seen.insert(id).second) return err::BatchEntryIdsNotDistinct(id);
  }
  return OkStatus();
}

BatchError ToBatchError(const std::string& id, const AwsError& e) {
  return BatchError{id, e.sender_fault, e.QueryCode(), e.message};
}

}  // namespace

uint64_t SqsBackend::Generation(int64_t queue_id) {
  std::lock_guard<std::mutex> g(signal_mu_);
  return signals_[queue_id].generation;
}

void SqsBackend::Notify(int64_t queue_id) {
  std::lock_guard<std::mutex> g(signal_mu_);
  auto it = signals_.find(queue_id);
  if (it == signals_.end()) return;  // nobody ever waited on it
  ++it->second.generation;
  it->second.cv.notify_all();
}

void SqsBackend::WaitFor(int64_t queue_id, uint64_t seen,
                         std::chrono::steady_clock::time_point until) {
  std::unique_lock<std::mutex> g(signal_mu_);
  Signal& s = signals_[queue_id];
  s.cv.wait_until(g, until, [&] { return stopping_ || s.generation != seen; });
}

// Queue-independent checks and the expensive work (hashes, encodings, ids), lock-free.
Result<SqsBackend::PreparedSend> SqsBackend::PrepareSend(const RequestContext& ctx,
                                                         const SendEntry& e) {
  if (e.body.empty()) return err::MissingParameter("MessageBody");
  if (!IsValidMessageText(e.body))
    return err::InvalidMessageContents(
        "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to "
        "#xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF");
  EDA_TRY(ValidateAttributes(e.attributes));
  EDA_TRY(ValidateSystemAttributes(e.system_attributes));
  if (e.delay_seconds && (*e.delay_seconds < 0 || *e.delay_seconds > 900))
    return err::InvalidParameterValue("Value " + std::to_string(*e.delay_seconds) +
                                      " for parameter DelaySeconds is invalid. Reason: must be "
                                      "between 0 and 900, if provided.");
  for (const auto* id : {&e.group_id, &e.dedup_id}) {
    if (!*id) continue;
    if ((*id)->empty() || (*id)->size() > 128)
      return err::InvalidParameterValue("Value " + **id +
                                        " for parameter MessageGroupId/MessageDeduplicationId "
                                        "is invalid. Reason: must be 1 to 128 characters.");
    for (char c : **id)
      if (c < 0x21 || c > 0x7e)
        return err::InvalidParameterValue(
            "MessageGroupId and MessageDeduplicationId can only contain alphanumeric "
            "characters and punctuation.");
  }
  PreparedSend p;
  p.entry = &e;
  p.size = e.body.size() + AttributesSize(e.attributes);
  if (static_cast<int64_t>(p.size) > kMaxMessageSize)
    return err::InvalidParameterValue(
        "One or more parameters are invalid. Reason: Message must be shorter than " +
        std::to_string(kMaxMessageSize) + " bytes.");
  SendResult& r = p.result;
  r.id = e.id;
  r.md5_body = crypto::Md5Hex(e.body);
  MessageRow& m = p.row;
  m.attrs = EncodeAttributes(e.attributes);
  if (!m.attrs.empty()) r.md5_attributes = crypto::Md5Hex(m.attrs);
  m.sys_attrs = EncodeAttributes(e.system_attributes);
  if (!m.sys_attrs.empty()) r.md5_system_attributes = crypto::Md5Hex(m.sys_attrs);
  m.message_id = ids::Uuid();
  m.md5_body = r.md5_body;
  m.md5_attrs = r.md5_attributes;
  m.sender_id = ctx.account;
  m.sent_ms = ctx.now_ms;
  if (e.group_id) m.group_id = *e.group_id;
  if (e.dedup_id) m.dedup_id = *e.dedup_id;
  return p;
}

// Queue-dependent checks, deduplication and the insert (lock held, transaction open).
Result<SendResult> SqsBackend::Enqueue(const RequestContext& ctx, const Queue& q,
                                       PreparedSend& p) {
  const SendEntry& e = *p.entry;
  if (static_cast<int64_t>(p.size) > q.max_message_size)
    return err::InvalidParameterValue(
        "One or more parameters are invalid. Reason: Message must be shorter than " +
        std::to_string(q.max_message_size) + " bytes.");
  if (q.fifo) {
    if (!e.group_id) return err::MissingParameter("MessageGroupId");
    if (e.delay_seconds && *e.delay_seconds != 0)
      return err::InvalidParameterValue(
          "Value " + std::to_string(*e.delay_seconds) +
          " for parameter DelaySeconds is invalid. Reason: The request include parameter that "
          "is not valid for this queue type.");
    if (!e.dedup_id && !q.content_dedup)
      return err::InvalidParameterValue(
          "The queue should either have ContentBasedDeduplication enabled or "
          "MessageDeduplicationId provided explicitly");
  } else if (e.dedup_id) {
    return err::InvalidParameterValue(
        "The request include parameter MessageDeduplicationId that is not valid for this queue "
        "type");
  }
  SendResult r = p.result;
  MessageRow& m = p.row;
  m.queue_id = q.id;
  m.visible_at_ms = ctx.now_ms + e.delay_seconds.value_or(q.delay_seconds) * 1000;
  if (q.fifo) {
    if (m.dedup_id.empty()) m.dedup_id = crypto::Sha256Hex(e.body);
    std::string scope = q.dedup_per_group ? m.group_id : std::string();
    if (auto prior = store_.FindDedup(q.id, scope, m.dedup_id, ctx.now_ms)) {
      // A duplicate within 5 minutes: accepted, not enqueued; MD5s are this request's.
      r.message_id = prior->first;
      r.sequence_number = FormatSequence(prior->second);
      return r;
    }
    m.seq = store_.NextSequence(q.id);
    r.sequence_number = FormatSequence(m.seq);
    store_.PutDedup(q.id, scope, m.dedup_id, m.message_id, m.seq, ctx.now_ms + kDedupWindowMs);
  }
  m.body = e.body;
  r.message_id = m.message_id;
  store_.InsertMessage(m);
  return r;
}

Result<SendResult> SqsBackend::SendMessage(const RequestContext& ctx,
                                           const SendMessageRequest& req) {
  EDA_ASSIGN_OR_RETURN(PreparedSend prepared, PrepareSend(ctx, req.entry));
  int64_t queue_id;
  Result<SendResult> r = SendResult{};
  {
    auto lock = db_.Lock();
    EDA_ASSIGN_OR_RETURN(const Queue* q, ResolveUrl(ctx, req.queue_url));
    queue_id = q->id;
    storage::Transaction tx(db_);
    r = Enqueue(ctx, *q, prepared);
    if (!r.ok()) return r;
    tx.Commit();
  }
  Notify(queue_id);
  return r;
}

Result<SendMessageBatchResult> SqsBackend::SendMessageBatch(const RequestContext& ctx,
                                                            const SendMessageBatchRequest& req) {
  EDA_TRY(ValidateBatch(req.entries, "SendMessageBatchRequestEntry",
                        [](const SendEntry& e) -> const std::string& { return e.id; }));
  size_t total = 0;
  for (const auto& e : req.entries) total += e.body.size() + AttributesSize(e.attributes);
  if (static_cast<int64_t>(total) > kMaxMessageSize)
    return err::BatchRequestTooLong(total, kMaxMessageSize);
  SendMessageBatchResult out;
  std::vector<PreparedSend> prepared;
  for (const auto& e : req.entries) {
    auto p = PrepareSend(ctx, e);
    if (p.ok()) prepared.push_back(std::move(p.value()));
    else out.failed.push_back(ToBatchError(e.id, p.error()));
  }
  int64_t queue_id;
  {
    auto lock = db_.Lock();
    EDA_ASSIGN_OR_RETURN(const Queue* q, ResolveUrl(ctx, req.queue_url));
    queue_id = q->id;
    storage::Transaction tx(db_);
    for (auto& p : prepared) {
      auto r = Enqueue(ctx, *q, p);
      if (r.ok()) out.successful.push_back(std::move(r.value()));
      else out.failed.push_back(ToBatchError(p.entry->id, r.error()));
    }
    tx.Commit();
  }
  if (!out.successful.empty()) Notify(queue_id);
  return out;
}

Status SqsBackend::DeleteOne(const Queue& q, const std::string& handle) {
  auto h = ParseReceiptHandle(handle);
  if (!h || h->queue_id != q.id) return err::ReceiptHandleIsInvalid(handle);
  // A stale handle (the message was received again since) still deletes; an already
  // deleted message is a success (DeleteMessage is idempotent).
  store_.DeleteMessage(h->row_id);
  return OkStatus();
}

Result<Empty> SqsBackend::DeleteMessage(const RequestContext& ctx,
                                        const DeleteMessageRequest& req) {
  if (req.receipt_handle.empty()) return err::MissingParameter("ReceiptHandle");
  auto lock = db_.Lock();
  EDA_ASSIGN_OR_RETURN(const Queue* q, ResolveUrl(ctx, req.queue_url));
  storage::Transaction tx(db_);
  EDA_TRY(DeleteOne(*q, req.receipt_handle));
  tx.Commit();
  return Empty{};
}

Result<HandleBatchResult> SqsBackend::DeleteMessageBatch(const RequestContext& ctx,
                                                         const HandleBatchRequest& req) {
  EDA_TRY(ValidateBatch(req.entries, "DeleteMessageBatchRequestEntry",
                        [](const HandleEntry& e) -> const std::string& { return e.id; }));
  auto lock = db_.Lock();
  EDA_ASSIGN_OR_RETURN(const Queue* q, ResolveUrl(ctx, req.queue_url));
  HandleBatchResult out;
  storage::Transaction tx(db_);
  for (const auto& e : req.entries) {
    Status s = e.receipt_handle.empty() ? Status(err::MissingParameter("ReceiptHandle"))
                                        : DeleteOne(*q, e.receipt_handle);
    if (s.ok()) out.successful.push_back(e.id);
    else out.failed.push_back(ToBatchError(e.id, s.error()));
  }
  tx.Commit();
  return out;
}

Status SqsBackend::ChangeVisibilityOne(const RequestContext& ctx, const Queue& q,
                                       const std::string& handle,
                                       std::optional<int64_t> timeout, bool* woke) {
  if (handle.empty()) return err::MissingParameter("ReceiptHandle");
  if (!timeout) return err::MissingParameter("VisibilityTimeout");
  if (*timeout < 0 || *timeout > kMaxVisibilityTimeout)
    return err::InvalidParameterValue("Value " + std::to_string(*timeout) +
                                      " for parameter VisibilityTimeout is invalid. Reason: "
                                      "VisibilityTimeout must be an integer between 0 and 43200.");
  auto h = ParseReceiptHandle(handle);
  if (!h || h->queue_id != q.id) return err::ReceiptHandleIsInvalid(handle);
  auto m = store_.GetMessage(h->row_id);
  if (!m) return err::ReceiptHandleIsInvalid(handle);
  if (m->visible_at_ms <= ctx.now_ms || m->receive_count == 0) return err::MessageNotInflight();
  store_.SetVisibleAt(m->row_id, ctx.now_ms + *timeout * 1000);
  if (*timeout == 0) *woke = true;
  return OkStatus();
}

Result<Empty> SqsBackend::ChangeMessageVisibility(const RequestContext& ctx,
                                                  const ChangeVisibilityRequest& req) {
  bool woke = false;
  int64_t queue_id;
  {
    auto lock = db_.Lock();
    EDA_ASSIGN_OR_RETURN(const Queue* q, ResolveUrl(ctx, req.queue_url));
    queue_id = q->id;
    storage::Transaction tx(db_);
    EDA_TRY(ChangeVisibilityOne(ctx, *q, req.receipt_handle, req.visibility_timeout, &woke));
    tx.Commit();
  }
  // Any change moves the earliest visibility time, which waiting receivers track.
  Notify(queue_id);
  return Empty{};
}

Result<HandleBatchResult> SqsBackend::ChangeMessageVisibilityBatch(const RequestContext& ctx,
                                                                   const HandleBatchRequest& req) {
  EDA_TRY(ValidateBatch(req.entries, "ChangeMessageVisibilityBatchRequestEntry",
                        [](const HandleEntry& e) -> const std::string& { return e.id; }));
  HandleBatchResult out;
  bool woke = false;
  int64_t queue_id;
  {
    auto lock = db_.Lock();
    EDA_ASSIGN_OR_RETURN(const Queue* q, ResolveUrl(ctx, req.queue_url));
    queue_id = q->id;
    storage::Transaction tx(db_);
    for (const auto& e : req.entries) {
      Status s = ChangeVisibilityOne(ctx, *q, e.receipt_handle, e.visibility_timeout, &woke);
      if (s.ok()) out.successful.push_back(e.id);
      else out.failed.push_back(ToBatchError(e.id, s.error()));
    }
    tx.Commit();
  }
  if (!out.successful.empty()) Notify(queue_id);
  return out;
}

}  // namespace edastack::sqs
