#include "pipeline/functions/functions.h"

#include "pipeline/runtime/event_log.h"
#include "protocol/core/time_format.h"

namespace edastack::pipeline {
namespace {

using nlohmann::json;

bool IsConditionFailed(const AwsError& e) { return e.code == "ConditionalCheckFailedException"; }

// Counts a failure, logs it and returns it as the handler's status.
Status Failed(FunctionContext& ctx, const char* fn, const std::string& event_id,
              const AwsError& e, const std::string& what) {
  ctx.metrics.Inc(Metrics::kFailed, fn);
  LogEvent(log::Level::kWarn, fn, event_id, what, {{"error", e.code + ": " + e.message}});
  return e;
}

class Timer {
 public:
  Timer(FunctionContext& ctx, const char* fn) : ctx_(ctx), fn_(fn), start_(ctx.clock.NowMillis()) {
    ctx_.metrics.Inc(Metrics::kReceived, fn_);
  }
  void Done() {
    ctx_.metrics.Inc(Metrics::kProcessed, fn_);
    ctx_.metrics.Observe(fn_, (ctx_.clock.NowMillis() - start_) / 1000.0);
  }

 private:
  FunctionContext& ctx_;
  const char* fn_;
  int64_t start_;
};

}  // namespace

Result<std::string> PublishEvent(FunctionContext& ctx, const PipelineEvent& e) {
  return ctx.apis.sns.Publish(ctx.env.topic_arn, EventToJson(e).dump(), "pipeline event " + e.type);
}

Status IngestFunction::Handle(const aws::SqsMessage& m) {
  Timer timer(ctx_, kName);
  if (m.ReceiveCount() > 1) ctx_.metrics.Inc(Metrics::kRetries, kName);
  auto objects = DecodeS3Message(m.body);
  if (!objects.ok()) return Failed(ctx_, kName, "", objects.error(), "undecodable S3 event");
  for (const S3ObjectEvent& o : *objects) {
    auto head = ctx_.apis.s3.HeadObject(o.bucket, o.key);
    if (!head.ok()) return Failed(ctx_, kName, "", head.error(), "HeadObject failed");
    std::string content_type = head->has_value() ? (*head)->content_type : "";
    PipelineEvent e =
        NormaliseS3Event(o, content_type, timefmt::Iso8601Millis(ctx_.clock.NowMillis()));
    auto published = PublishEvent(ctx_, e);
    if (!published.ok()) return Failed(ctx_, kName, e.event_id, published.error(), "publish failed");
    LogEvent(log::Level::kInfo, kName, e.event_id, "published",
             {{"bucket", o.bucket}, {"key", o.key}});
  }
  timer.Done();
  return OkStatus();
}

Status ProcessorFunction::Confirm(const PipelineEvent& e, const std::string& processed_at) {
  json body = {{"eventId", e.event_id}, {"type", e.type}, {"status", "PROCESSED"},
               {"processedAt", processed_at}};
  EDA_TRY(ctx_.apis.sqs.SendMessage(ctx_.env.confirmation_queue_url, body.dump()));
  return OkStatus();
}

Status ProcessorFunction::Handle(const aws::SqsMessage& m) {
  Timer timer(ctx_, kName);
  if (m.ReceiveCount() > 1) ctx_.metrics.Inc(Metrics::kRetries, kName);
  json j = json::parse(UnwrapSnsEnvelope(m.body), nullptr, false);
  if (j.is_discarded())
    return Failed(ctx_, kName, "", MakeError("InvalidEvent", "message is not valid JSON"),
                  "rejected");
  auto parsed = EventFromJson(j);
  std::string id = j.is_object() && j.contains("eventId") && j["eventId"].is_string()
                       ? j["eventId"].get<std::string>()
                       : "";
  if (!parsed.ok()) return Failed(ctx_, kName, id, parsed.error(), "rejected");
  const PipelineEvent& e = *parsed;
  if (e.payload.contains("fail") && e.payload["fail"] == true)
    return Failed(ctx_, kName, e.event_id,
                  MakeError("InjectedFailure", "payload.fail is true"), "rejected");

  int64_t now = ctx_.clock.NowMillis();
  std::string now_iso = timefmt::Iso8601Millis(now);
  int attempts = m.ReceiveCount() > 0 ? m.ReceiveCount() : 1;
  json item = {
      {"eventId", {{"S", e.event_id}}},
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
  aws::Expression cond;
  cond.condition = "attribute_not_exists(eventId)";
  auto put = ctx_.apis.dynamodb.PutItem(ctx_.env.table, item, cond);
  if (!put.ok() && !IsConditionFailed(put.error()))
    return Failed(ctx_, kName, e.event_id, put.error(), "PutItem failed");
  if (!put.ok()) {
    // A duplicate: the record exists. Re-send the confirmation only if a crash may have
    // lost it (still PROCESSED); the confirmation sender's conditional update is idempotent.
    ctx_.metrics.Inc(Metrics::kDuplicates, kName);
    auto existing =
        ctx_.apis.dynamodb.GetItem(ctx_.env.table, {{"eventId", {{"S", e.event_id}}}});
    if (!existing.ok()) return Failed(ctx_, kName, e.event_id, existing.error(), "GetItem failed");
    std::string status = existing->has_value() ? (**existing).value("status", json::object())
                                                     .value("S", "")
                                               : "";
    LogEvent(log::Level::kInfo, kName, e.event_id, "duplicate ignored", {{"status", status}});
    if (status == "PROCESSED") {
      auto sent = Confirm(e, now_iso);
      if (!sent.ok()) return Failed(ctx_, kName, e.event_id, sent.error(), "confirmation failed");
    }
    timer.Done();
    return OkStatus();
  }
  auto sent = Confirm(e, now_iso);
  if (!sent.ok()) return Failed(ctx_, kName, e.event_id, sent.error(), "confirmation failed");
  LogEvent(log::Level::kInfo, kName, e.event_id, "processed",
           {{"type", e.type}, {"attempts", attempts}});
  timer.Done();
  return OkStatus();
}

Status ConfirmationFunction::Handle(const aws::SqsMessage& m) {
  Timer timer(ctx_, kName);
  if (m.ReceiveCount() > 1) ctx_.metrics.Inc(Metrics::kRetries, kName);
  json j = json::parse(m.body, nullptr, false);
  if (!j.is_object() || !j.contains("eventId") || !j["eventId"].is_string() ||
      j["eventId"].get<std::string>().empty())
    return Failed(ctx_, kName, "", MakeError("InvalidEvent", "confirmation without eventId"),
                  "rejected");
  std::string id = j["eventId"];
  std::string now_iso = timefmt::Iso8601Millis(ctx_.clock.NowMillis());
  aws::Expression expr;
  expr.update =
      "SET #s = :confirmed, confirmedAt = :now, updatedAt = :now, "
      "history = list_append(if_not_exists(history, :empty), :entry)";
  expr.condition = "attribute_exists(eventId) AND #s = :processed";
  expr.names = {{"#s", "status"}};
  expr.values = {{":confirmed", {{"S", "CONFIRMED"}}},
                 {":processed", {{"S", "PROCESSED"}}},
                 {":now", {{"S", now_iso}}},
                 {":empty", {{"L", json::array()}}},
                 {":entry",
                  {{"L", {{{"M", {{"status", {{"S", "CONFIRMED"}}}, {"at", {{"S", now_iso}}}}}}}}}}};
  json key = {{"eventId", {{"S", id}}}};
  auto updated = ctx_.apis.dynamodb.UpdateItem(ctx_.env.table, key, expr);
  if (!updated.ok() && !IsConditionFailed(updated.error()))
    return Failed(ctx_, kName, id, updated.error(), "UpdateItem failed");
  if (!updated.ok()) {
    auto existing = ctx_.apis.dynamodb.GetItem(ctx_.env.table, key);
    if (!existing.ok()) return Failed(ctx_, kName, id, existing.error(), "GetItem failed");
    if (!existing->has_value())
      return Failed(ctx_, kName, id, MakeError("NotFound", "no record for this event"),
                    "rejected");
    const json& record = **existing;
    std::string status = record.value("status", json::object()).value("S", "");
    if (status != "CONFIRMED")
      return Failed(ctx_, kName, id, MakeError("InvalidState", "record is " + status), "rejected");
    if (record.contains(kNotificationPending)) {
      // Confirmed earlier, but its notification could not be published: try again.
      std::string confirmed_at = record.value("confirmedAt", json::object()).value("S", now_iso);
      EDA_TRY(Notify(id, j, confirmed_at, /*pending_marked=*/true));
      LogEvent(log::Level::kInfo, kName, id, "notification re-published");
      timer.Done();
      return OkStatus();
    }
    ctx_.metrics.Inc(Metrics::kDuplicates, kName);
    LogEvent(log::Level::kInfo, kName, id, "already confirmed");
    timer.Done();
    return OkStatus();
  }
  EDA_TRY(Notify(id, j, now_iso, /*pending_marked=*/false));
  LogEvent(log::Level::kInfo, kName, id, "confirmed");
  timer.Done();
  return OkStatus();
}

// Publishes the "Event confirmed" notification. On failure the record is marked
// notificationPending and the message fails, so its redelivery publishes again (at least once;
// a crash between the CONFIRMED update and this publish is the one window that loses it).
Status ConfirmationFunction::Notify(const std::string& id, const json& confirmation,
                                    const std::string& confirmed_at, bool pending_marked) {
  json note = {{"eventId", id}, {"status", "CONFIRMED"}, {"confirmedAt", confirmed_at}};
  if (confirmation.contains("type")) note["type"] = confirmation["type"];
  json key = {{"eventId", {{"S", id}}}};
  auto published = ctx_.apis.sns.Publish(ctx_.env.notifications_topic_arn, note.dump(),
                                         "Event confirmed");
  if (!published.ok()) {
    if (!pending_marked) {
      aws::Expression mark;
      mark.update = std::string("SET ") + kNotificationPending + " = :t";
      mark.values = {{":t", {{"BOOL", true}}}};
      auto marked = ctx_.apis.dynamodb.UpdateItem(ctx_.env.table, key, mark);
      if (!marked.ok())
        LogEvent(log::Level::kWarn, kName, id, "could not mark the notification pending",
                 {{"error", marked.error().code}});
    }
    return Failed(ctx_, kName, id, published.error(), "notification publish failed");
  }
  if (pending_marked) {
    aws::Expression clear;
    clear.update = std::string("REMOVE ") + kNotificationPending;
    auto cleared = ctx_.apis.dynamodb.UpdateItem(ctx_.env.table, key, clear);
    if (!cleared.ok())
      LogEvent(log::Level::kWarn, kName, id, "could not clear notificationPending",
               {{"error", cleared.error().code}});
  }
  return OkStatus();
}

}  // namespace edastack::pipeline
