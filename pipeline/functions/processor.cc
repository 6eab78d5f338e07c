// The processor: main queue (SNS envelope) -> conditional put -> confirmation queue.
#include <set>

#include "pipeline/functions/batch_send.h"
#include "pipeline/functions/function_util.h"
#include "protocol/core/time_format.h"

namespace edastack::pipeline {
namespace {

using fnutil::Failed;
using nlohmann::json;

// The event in a main-queue message, or why it is rejected (deterministic failures).
Result<PipelineEvent> ParseEvent(const aws::SqsMessage& m, std::string* id) {
  json j = json::parse(UnwrapSnsEnvelope(m.body), nullptr, false);
  if (j.is_discarded()) return MakeError("InvalidEvent", "message is not valid JSON");
  if (j.is_object() && j.contains("eventId") && j["eventId"].is_string()) *id = j["eventId"];
  EDA_ASSIGN_OR_RETURN(PipelineEvent e, EventFromJson(j));
  if (e.payload.contains("fail") && e.payload["fail"] == true)
    return MakeError("InjectedFailure", "payload.fail is true");
  return e;
}

json Record(const PipelineEvent& e, const aws::SqsMessage& m, int64_t now,
            const std::string& now_iso) {
  int attempts = m.ReceiveCount() > 0 ? m.ReceiveCount() : 1;
  return {{"eventId", {{"S", e.event_id}}},
          {"type", {{"S", e.type}}},
          {"source", {{"S", e.source.empty() ? "unknown" : e.source}}},
          {"payload", aws::ToAttributeValue(e.payload)},
          {"status", {{"S", "PROCESSED"}}},
          {"createdAt", {{"S", e.timestamp.empty() ? now_iso : e.timestamp}}},
          {"processedAt", {{"S", now_iso}}},
          {"updatedAt", {{"S", now_iso}}},
          {"attempts", {{"N", std::to_string(attempts)}}},
          {"ttl", {{"N", std::to_string(now / 1000 + kRecordTtlSeconds)}}},
          {"messageId", {{"S", m.message_id}}},
          {"history",
           {{"L", {{{"M", {{"status", {{"S", "PROCESSED"}}}, {"at", {{"S", now_iso}}}}}}}}}}};
}

aws::Expression NotExists() {
  aws::Expression cond;
  cond.condition = "attribute_not_exists(eventId)";
  return cond;
}

}  // namespace

Result<ProcessorFunction::Put> ProcessorFunction::PutOne(const PipelineEvent& e,
                                                         const json& item) {
  auto put = ctx_.apis.dynamodb.PutItem(ctx_.env.table, item, NotExists());
  if (put.ok()) return Put::kNew;
  if (!fnutil::IsConditionFailed(put.error()))
    return Failed(ctx_, kName, e.event_id, put.error(), "PutItem failed").take_error();
  // A duplicate: the record exists. Re-send the confirmation only if a crash may have lost
  // it (still PROCESSED); the confirmation sender's conditional update is idempotent.
  ctx_.metrics.Inc(Metrics::kDuplicates, kName);
  auto existing = ctx_.apis.dynamodb.GetItem(ctx_.env.table, {{"eventId", {{"S", e.event_id}}}});
  if (!existing.ok()) return Failed(ctx_, kName, e.event_id, existing.error(), "GetItem failed").take_error();
  std::string status =
      existing->has_value() ? (**existing).value("status", json::object()).value("S", "") : "";
  LogEvent(log::Level::kInfo, kName, e.event_id, "duplicate ignored", {{"status", status}});
  return status == "PROCESSED" ? Put::kDuplicateToConfirm : Put::kDuplicateDone;
}

std::vector<Status> ProcessorFunction::HandleBatch(const std::vector<aws::SqsMessage>& messages) {
  std::vector<Status> out(messages.size(), OkStatus());
  std::vector<fnutil::Timer> timers;
  timers.reserve(messages.size());
  int64_t now = ctx_.clock.NowMillis();
  std::string now_iso = timefmt::Iso8601Millis(now);
  struct Accepted {
    size_t index;  // into messages
    PipelineEvent event;
    json item;
  };
  std::vector<Accepted> accepted;
  std::set<std::string> ids;
  bool distinct = true;
  for (size_t i = 0; i < messages.size(); ++i) {
    timers.emplace_back(ctx_, kName, messages[i].ReceiveCount());
    std::string id;
    auto e = ParseEvent(messages[i], &id);
    if (!e.ok()) {
      out[i] = Failed(ctx_, kName, id, e.error(), "rejected");
      continue;
    }
    distinct = ids.insert(e->event_id).second && distinct;
    json item = Record(*e, messages[i], now, now_iso);
    accepted.push_back({i, std::move(*e), std::move(item)});
  }

  // The conditional puts: one transaction for the whole batch when its events are distinct;
  // if that is refused (a duplicate among them, or any error), one PutItem per event.
  bool all_new = false;
  if (accepted.size() > 1 && distinct) {
    json items = json::array();
    for (const auto& a : accepted)
      items.push_back(aws::TransactPut(ctx_.env.table, a.item, NotExists()));
    all_new = ctx_.apis.dynamodb.TransactWriteItems(items).ok();
  }
  std::vector<const Accepted*> to_confirm;
  std::vector<bool> fresh;  // per to_confirm: a new record (a duplicate was logged already)
  for (const auto& a : accepted) {
    if (all_new) {
      to_confirm.push_back(&a);
      fresh.push_back(true);
      continue;
    }
    auto put = PutOne(a.event, a.item);
    if (!put.ok()) {
      out[a.index] = put.error();
    } else if (*put == Put::kDuplicateDone) {
      timers[a.index].Done();
    } else {
      to_confirm.push_back(&a);
      fresh.push_back(*put == Put::kNew);
    }
  }

  std::vector<std::string> bodies;
  for (const Accepted* a : to_confirm)
    bodies.push_back(json({{"eventId", a->event.event_id},
                           {"type", a->event.type},
                           {"status", "PROCESSED"},
                           {"processedAt", now_iso}})
                         .dump());
  auto sent = SendAll(ctx_.apis.sqs, ctx_.env.confirmation_queue_url, bodies);
  for (size_t k = 0; k < to_confirm.size(); ++k) {
    const Accepted& a = *to_confirm[k];
    if (!sent[k].ok()) {
      out[a.index] = Failed(ctx_, kName, a.event.event_id, sent[k].error(), "confirmation failed");
      continue;
    }
    if (fresh[k])
      LogEvent(log::Level::kInfo, kName, a.event.event_id, "processed",
               {{"type", a.event.type}, {"attempts", messages[a.index].ReceiveCount()}});
    timers[a.index].Done();
  }
  return out;
}

}  // namespace edastack::pipeline
