// ReceiveMessage: selection (standard and FIFO), redrive to the DLQ, long polling.
#include <unordered_map>
#include <unordered_set>

#include "emulator/sqs/sqs_backend.h"
#include "emulator/sqs/sqs_errors.h"
#include "emulator/sqs/sqs_message_codec.h"
#include "protocol/core/ids.h"

namespace edastack::sqs {
namespace {

constexpr int64_t kAttemptWindowMs = 5 * 60 * 1000;

std::string FormatSequence(int64_t seq) {
  std::string digits = std::to_string(seq);
  return "1" + std::string(19 - std::min<size_t>(19, digits.size()), '0') + digits;
}

bool Wanted(const std::vector<std::string>& names, const char* n) {
  for (const auto& x : names)
    if (x == "All" || x == n) return true;
  return false;
}

}  // namespace

void SqsBackend::MoveMessage(const MessageRow& m, const Queue& dlq, int64_t now_ms,
                             const std::string& source_arn) {
  MessageRow moved = m;
  moved.queue_id = dlq.id;
  moved.visible_at_ms = now_ms;
  moved.receive_count = 0;
  moved.first_receive_ms = 0;
  moved.token.clear();
  moved.source_arn = source_arn;
  moved.seq = dlq.fifo ? store_.NextSequence(dlq.id) : 0;
  store_.DeleteMessage(m.row_id);
  store_.InsertMessage(moved);
}

ReceivedMessage SqsBackend::Deliver(const Queue& q, const MessageRow& m,
                                    const ReceiveMessageRequest& req, int64_t now_ms,
                                    int64_t visibility) {
  ReceivedMessage out;
  int64_t count = m.receive_count + 1;
  int64_t first = m.first_receive_ms ? m.first_receive_ms : now_ms;
  std::string token = ids::RandomHex(12);
  store_.MarkReceived(m.row_id, now_ms + visibility * 1000, count, first, token);
  out.message_id = m.message_id;
  out.receipt_handle = MakeReceiptHandle(q.id, m.row_id, token);
  out.md5_body = m.md5_body;
  out.body = m.body;
  const auto& names = req.system_attribute_names;
  if (!names.empty()) {
    auto& a = out.system_attributes;
    if (Wanted(names, "SenderId")) a["SenderId"] = m.sender_id;
    if (Wanted(names, "SentTimestamp")) a["SentTimestamp"] = std::to_string(m.sent_ms);
    if (Wanted(names, "ApproximateReceiveCount"))
      a["ApproximateReceiveCount"] = std::to_string(count);
    if (Wanted(names, "ApproximateFirstReceiveTimestamp"))
      a["ApproximateFirstReceiveTimestamp"] = std::to_string(first);
    if (!m.group_id.empty() && Wanted(names, "MessageGroupId")) a["MessageGroupId"] = m.group_id;
    if (q.fifo) {
      if (Wanted(names, "MessageDeduplicationId")) a["MessageDeduplicationId"] = m.dedup_id;
      if (Wanted(names, "SequenceNumber")) a["SequenceNumber"] = FormatSequence(m.seq);
    }
    if (!m.source_arn.empty() && Wanted(names, "DeadLetterQueueSourceArn"))
      a["DeadLetterQueueSourceArn"] = m.source_arn;
    if (!m.sys_attrs.empty() && Wanted(names, "AWSTraceHeader")) {
      auto sys = DecodeAttributes(m.sys_attrs);
      if (sys && sys->count("AWSTraceHeader"))
        a["AWSTraceHeader"] = sys->at("AWSTraceHeader").string_value;
    }
  }
  if (!m.attrs.empty() && !req.message_attribute_names.empty()) {
    auto attrs = DecodeAttributes(m.attrs);
    if (attrs) {
      bool all = false;
      for (const auto& n : req.message_attribute_names) all = all || n == "All" || n == ".*";
      if (all) {
        out.attributes = std::move(*attrs);
        out.md5_attributes = m.md5_attrs;
      } else {
        for (auto& kv : *attrs)
          if (NameSelected(req.message_attribute_names, kv.first))
            out.attributes.emplace(kv.first, std::move(kv.second));
        out.md5_attributes = AttributesMd5(out.attributes);
      }
    }
  }
  return out;
}

Result<SqsBackend::ReceiveOutcome> SqsBackend::ReceiveOnce(const RequestContext& ctx,
                                                           const ReceiveMessageRequest& req,
                                                           int64_t now_ms) {
  ReceiveOutcome out;
  auto lock = db_.Lock();
  EDA_ASSIGN_OR_RETURN(const Queue* qp, ResolveUrl(ctx, req.queue_url));
  const Queue& q = *qp;
  out.queue_id = q.id;
  // Read under the database lock: a send that commits after this look notifies after it,
  // so the wait below never misses it.
  out.generation = Generation(q.id);
  out.wait_seconds = req.wait_seconds.value_or(q.wait_seconds);
  int64_t max = req.max_messages.value_or(1);
  int64_t visibility = req.visibility_timeout.value_or(q.visibility_timeout);
  int64_t expire_before = now_ms - q.retention_seconds * 1000;
  const Queue* dlq = nullptr;
  if (!q.dlq_arn.empty()) {
    dlq = ResolveArn(q.dlq_arn);
    if (dlq && dlq->id == q.id) dlq = nullptr;
  }
  std::string source_arn = q.Arn();

  storage::Transaction tx(db_);
  // FIFO: a retried ReceiveRequestAttemptId returns the same messages while still in flight.
  if (q.fifo && !req.attempt_id.empty()) {
    auto key = std::make_pair(q.id, req.attempt_id);
    auto it = attempts_.find(key);
    if (it != attempts_.end() && it->second.expires_ms > now_ms) {
      for (const auto& rt : it->second.rows) {
        auto m = store_.GetMessage(rt.first);
        if (!m || m->token != rt.second || m->visible_at_ms <= now_ms) continue;
        // Re-issue under the same receive: count and handle unchanged.
        MessageRow prior = *m;
        prior.receive_count -= 1;
        ReceivedMessage r = Deliver(q, prior, req, now_ms, visibility);
        store_.MarkReceived(m->row_id, now_ms + visibility * 1000, m->receive_count,
                            m->first_receive_ms, m->token);
        r.receipt_handle = MakeReceiptHandle(q.id, m->row_id, m->token);
        out.result.messages.push_back(std::move(r));
      }
      tx.Commit();
      return out;
    }
  }

  // Handles one candidate: drop it when expired, move it when its receive count would pass
  // maxReceiveCount, else deliver it. Returns true when delivered.
  auto take = [&](const MessageRow& m) {
    if (m.sent_ms <= expire_before) {
      store_.DeleteMessage(m.row_id);
      return false;
    }
    if (dlq && q.max_receive_count > 0 && m.receive_count + 1 > q.max_receive_count) {
      MoveMessage(m, *dlq, now_ms, source_arn);
      if (out.woken_queues.empty()) out.woken_queues.push_back(dlq->id);
      return false;
    }
    out.result.messages.push_back(Deliver(q, m, req, now_ms, visibility));
    return true;
  };

  if (!q.fifo) {
    while (static_cast<int64_t>(out.result.messages.size()) < max) {
      int64_t need = max - static_cast<int64_t>(out.result.messages.size());
      auto rows = store_.SelectVisible(q.id, now_ms, need);
      for (const auto& m : rows) take(m);
      if (static_cast<int64_t>(rows.size()) < need) break;
    }
  } else {
    // Strict order per group; a group with a message in flight (or delayed) is blocked.
    // Like SQS, return as many messages of one group as possible before the next group.
    std::unordered_set<std::string> blocked;
    std::vector<std::string> group_order;
    std::unordered_map<std::string, std::vector<int64_t>> ready;
    for (const auto& meta : store_.SelectAllMeta(q.id)) {
      if (blocked.count(meta.group_id)) continue;
      if (meta.visible_at_ms > now_ms) {
        // A delayed message ends what the group can deliver now; one in flight (received,
        // not yet visible again) holds back the whole group.
        blocked.insert(meta.group_id);
        if (meta.receive_count > 0) ready.erase(meta.group_id);
        continue;
      }
      auto& list = ready[meta.group_id];
      if (list.empty()) group_order.push_back(meta.group_id);
      list.push_back(meta.row_id);
    }
    for (const auto& g : group_order) {
      auto it = ready.find(g);
      if (it == ready.end()) continue;
      for (int64_t row : it->second) {
        if (static_cast<int64_t>(out.result.messages.size()) >= max) break;
        auto m = store_.GetMessage(row);
        if (m) take(*m);  // expired or moved messages let the next one of the group go
      }
    }
    if (!req.attempt_id.empty()) {
      Attempt a{now_ms + kAttemptWindowMs, {}};
      for (const auto& r : out.result.messages) {
        auto h = ParseReceiptHandle(r.receipt_handle);
        if (h) a.rows.emplace_back(h->row_id, h->token);
      }
      attempts_[std::make_pair(q.id, req.attempt_id)] = std::move(a);
      for (auto it = attempts_.begin(); it != attempts_.end();)
        it = it->second.expires_ms <= now_ms ? attempts_.erase(it) : std::next(it);
    }
  }
  if (out.result.messages.empty()) out.next_visible_ms = store_.NextVisibleAt(q.id, now_ms);
  tx.Commit();
  return out;
}

Result<ReceiveMessageResult> SqsBackend::ReceiveMessage(const RequestContext& ctx,
                                                        const ReceiveMessageRequest& req) {
  if (req.max_messages && (*req.max_messages < 1 || *req.max_messages > 10))
    return err::InvalidParameterValue(
        "Value " + std::to_string(*req.max_messages) +
        " for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if "
        "provided.");
  if (req.visibility_timeout &&
      (*req.visibility_timeout < 0 || *req.visibility_timeout > kMaxVisibilityTimeout))
    return err::InvalidParameterValue(
        "Value " + std::to_string(*req.visibility_timeout) +
        " for parameter VisibilityTimeout is invalid. Reason: must be between 0 and 43200.");
  if (req.wait_seconds && (*req.wait_seconds < 0 || *req.wait_seconds > 20))
    return err::InvalidParameterValue(
        "Value " + std::to_string(*req.wait_seconds) +
        " for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if "
        "provided.");
  if (req.attempt_id.size() > 128)
    return err::InvalidParameterValue("ReceiveRequestAttemptId must be 1 to 128 characters.");
  for (const auto& n : req.system_attribute_names) {
    static const char* const kNames[] = {
        "All", "SenderId", "SentTimestamp", "ApproximateReceiveCount",
        "ApproximateFirstReceiveTimestamp", "SequenceNumber", "MessageDeduplicationId",
        "MessageGroupId", "AWSTraceHeader", "DeadLetterQueueSourceArn"};
    bool known = false;
    for (const char* k : kNames) known = known || n == k;
    if (!known) return err::InvalidAttributeName(n);
  }

  auto start = std::chrono::steady_clock::now();
  int64_t now_ms = ctx.now_ms;
  std::optional<std::chrono::steady_clock::time_point> deadline;
  while (true) {
    EDA_ASSIGN_OR_RETURN(ReceiveOutcome o, ReceiveOnce(ctx, req, now_ms));
    for (int64_t id : o.woken_queues) Notify(id);
    if (!o.result.messages.empty() || o.wait_seconds <= 0) return std::move(o.result);
    if (!deadline) deadline = start + std::chrono::seconds(o.wait_seconds);
    auto now = std::chrono::steady_clock::now();
    if (now >= *deadline) return std::move(o.result);
    {
      std::lock_guard<std::mutex> g(signal_mu_);
      if (stopping_) return std::move(o.result);
    }
    auto until = *deadline;
    if (o.next_visible_ms) {
      int64_t delta = *o.next_visible_ms - clock_.NowMillis();
      auto at = now + std::chrono::milliseconds(std::max<int64_t>(delta, 1));
      if (at < until) until = at;
    }
    WaitFor(o.queue_id, o.generation, until);
    now_ms = clock_.NowMillis();
  }
}

}  // namespace edastack::sqs
