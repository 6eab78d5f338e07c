// The confirmation sender: confirmation queue -> CONFIRMED update -> notifications topic.
#include <set>

#include "pipeline/functions/batch_send.h"
#include "pipeline/functions/function_util.h"
#include "protocol/core/time_format.h"

namespace edastack::pipeline {
namespace {

using fnutil::Failed;
using nlohmann::json;

// PROCESSED -> CONFIRMED, once: the update is conditioned on the status.
aws::Expression ConfirmExpression(const std::string& now_iso) {
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
  return expr;
}

json Key(const std::string& id) { return {{"eventId", {{"S", id}}}}; }

}  // namespace

Result<ConfirmationFunction::Update> ConfirmationFunction::UpdateOne(const std::string& id,
                                                                     const aws::Expression& expr,
                                                                     const std::string& now_iso) {
  auto updated = ctx_.apis.dynamodb.UpdateItem(ctx_.env.table, Key(id), expr, "NONE");
  if (updated.ok()) return Update{true, false, now_iso};
  if (!fnutil::IsConditionFailed(updated.error()))
    return Failed(ctx_, kName, id, updated.error(), "UpdateItem failed").take_error();
  auto existing = ctx_.apis.dynamodb.GetItem(ctx_.env.table, Key(id));
  if (!existing.ok()) return Failed(ctx_, kName, id, existing.error(), "GetItem failed").take_error();
  if (!existing->has_value())
    return Failed(ctx_, kName, id, MakeError("NotFound", "no record for this event"), "rejected").take_error();
  const json& record = **existing;
  std::string status = record.value("status", json::object()).value("S", "");
  if (status != "CONFIRMED")
    return Failed(ctx_, kName, id, MakeError("InvalidState", "record is " + status), "rejected").take_error();
  if (record.contains(kNotificationPending)) {
    // Confirmed earlier, but its notification could not be published: try again.
    return Update{true, true, record.value("confirmedAt", json::object()).value("S", now_iso)};
  }
  ctx_.metrics.Inc(Metrics::kDuplicates, kName);
  LogEvent(log::Level::kInfo, kName, id, "already confirmed");
  return Update{};
}

// A failed notification marks the record notificationPending and fails the message, so its
// redelivery publishes again (at least once; a crash between the CONFIRMED update and the
// publish is the one window that loses it). A published one clears an earlier mark.
Status ConfirmationFunction::AfterNotify(const std::string& id,
                                         const Result<std::string>& published,
                                         bool pending_marked) {
  if (!published.ok()) {
    if (!pending_marked) {
      aws::Expression mark;
      mark.update = std::string("SET ") + kNotificationPending + " = :t";
      mark.values = {{":t", {{"BOOL", true}}}};
      auto marked = ctx_.apis.dynamodb.UpdateItem(ctx_.env.table, Key(id), mark, "NONE");
      if (!marked.ok())
        LogEvent(log::Level::kWarn, kName, id, "could not mark the notification pending",
                 {{"error", marked.error().code}});
    }
    return Failed(ctx_, kName, id, published.error(), "notification publish failed");
  }
  if (pending_marked) {
    aws::Expression clear;
    clear.update = std::string("REMOVE ") + kNotificationPending;
    auto cleared = ctx_.apis.dynamodb.UpdateItem(ctx_.env.table, Key(id), clear, "NONE");
    if (!cleared.ok())
      LogEvent(log::Level::kWarn, kName, id, "could not clear notificationPending",
               {{"error", cleared.error().code}});
    LogEvent(log::Level::kInfo, kName, id, "notification re-published");
  } else {
    LogEvent(log::Level::kInfo, kName, id, "confirmed");
  }
  return OkStatus();
}

std::vector<Status> ConfirmationFunction::HandleBatch(
    const std::vector<aws::SqsMessage>& messages) {
  std::vector<Status> out(messages.size(), OkStatus());
  std::vector<fnutil::Timer> timers;
  timers.reserve(messages.size());
  std::string now_iso = timefmt::Iso8601Millis(ctx_.clock.NowMillis());
  aws::Expression expr = ConfirmExpression(now_iso);
  struct Accepted {
    size_t index;  // into messages
    std::string id;
    json confirmation;
    Update update;
  };
  std::vector<Accepted> accepted;
  std::set<std::string> ids;
  bool distinct = true;
  for (size_t i = 0; i < messages.size(); ++i) {
    timers.emplace_back(ctx_, kName, messages[i].ReceiveCount());
    json j = json::parse(messages[i].body, nullptr, false);
    if (!j.is_object() || !j.contains("eventId") || !j["eventId"].is_string() ||
        j["eventId"].get<std::string>().empty()) {
      out[i] = Failed(ctx_, kName, "", MakeError("InvalidEvent", "confirmation without eventId"),
                      "rejected");
      continue;
    }
    std::string id = j["eventId"];
    distinct = ids.insert(id).second && distinct;
    accepted.push_back({i, std::move(id), std::move(j), Update{}});
  }

  // The conditional updates: one transaction for the whole batch when its events are
  // distinct; if that is refused (one not PROCESSED, or any error), one UpdateItem each.
  bool all_confirmed = false;
  if (accepted.size() > 1 && distinct) {
    json items = json::array();
    for (const auto& a : accepted)
      items.push_back(aws::TransactUpdate(ctx_.env.table, Key(a.id), expr));
    all_confirmed = ctx_.apis.dynamodb.TransactWriteItems(items).ok();
  }
  std::vector<Accepted*> to_notify;
  std::vector<OutMessage> notes;
  for (auto& a : accepted) {
    if (all_confirmed) {
      a.update = Update{true, false, now_iso};
    } else {
      auto u = UpdateOne(a.id, expr, now_iso);
      if (!u.ok()) {
        out[a.index] = u.error();
        continue;
      }
      a.update = *u;
    }
    if (!a.update.notify) {
      timers[a.index].Done();
      continue;
    }
    json note = {{"eventId", a.id}, {"status", "CONFIRMED"},
                 {"confirmedAt", a.update.confirmed_at}};
    if (a.confirmation.contains("type")) note["type"] = a.confirmation["type"];
    notes.push_back({note.dump(), "Event confirmed"});
    to_notify.push_back(&a);
  }

  auto published = PublishAll(ctx_.apis.sns, ctx_.env.notifications_topic_arn, notes);
  for (size_t k = 0; k < to_notify.size(); ++k) {
    const Accepted& a = *to_notify[k];
    out[a.index] = AfterNotify(a.id, published[k], a.update.pending_marked);
    if (out[a.index].ok()) timers[a.index].Done();
  }
  return out;
}

}  // namespace edastack::pipeline
