#include "emulator/events/events_scheduler.h"

#include <chrono>
#include <vector>

#include "emulator/events/events_operations.h"
#include "emulator/events/input_transform.h"
#include "emulator/events/schedule_expression.h"
#include "emulator/events/target_codec.h"
#include "protocol/core/ids.h"
#include "protocol/core/log.h"

namespace edastack::events {

Scheduler::Scheduler(storage::Database& db, const Clock& clock, storage::Outbox& outbox,
                     DeliveryWorker& worker)
    : db_(db), clock_(clock), outbox_(outbox), worker_(worker) {}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::Start(int64_t tick_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable() || stop_) return;
  thread_ = std::thread([this, tick_ms] { Loop(tick_ms); });
}

void Scheduler::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Scheduler::Clear() {
  std::lock_guard<std::mutex> lock(fire_mu_);
  next_.clear();
}

void Scheduler::Loop(int64_t tick_ms) {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    cv_.wait_for(lock, std::chrono::milliseconds(tick_ms), [this] { return stop_; });
    if (stop_) break;
    lock.unlock();
    try {
      FireDue(clock_.NowMillis());
    } catch (const std::exception& e) {
      log::Warn(std::string("events: scheduled rules: ") + e.what());
    }
    lock.lock();
  }
}

int Scheduler::FireDue(int64_t now_ms) {
  std::lock_guard<std::mutex> fire_lock(fire_mu_);
  struct Due {
    Scope scope;
    Rule rule;
    std::vector<Target> targets;
    int64_t at_ms;
  };
  std::vector<Due> due;
  {
    auto lock = db_.Lock();
    storage::Transaction tx(db_);
    EventsStore store(db_);
    std::map<std::string, int64_t> next;
    for (auto& [scope, rule] : store.ScheduledRules()) {
      auto expr = ScheduleExpression::Parse(rule.schedule);
      if (!expr.ok()) continue;  // validated by PutRule; never stored invalid
      std::string key = rule.arn + "\n" + rule.schedule;
      auto seen = next_.find(key);
      int64_t at = seen != next_.end() ? seen->second : -1;
      if (at < 0) {  // first seen: from the next firing time on
        auto n = expr->NextAfter(now_ms, rule.created_ms);
        if (n) next[key] = *n;
        continue;
      }
      if (at > now_ms) {
        next[key] = at;
        continue;
      }
      auto n = expr->NextAfter(now_ms, rule.created_ms);
      if (n) next[key] = *n;
      Due d{scope, rule, {}, at};
      for (const auto& st : store.ListTargets(scope, rule.bus, rule.name)) {
        auto t = TargetFromJson(OrderedJson::parse(st.json), 1);
        if (t.ok()) d.targets.push_back(std::move(t).value());
      }
      due.push_back(std::move(d));
    }
    tx.Commit();
    next_ = std::move(next);  // rules deleted or disabled are forgotten
  }
  for (const auto& d : due) {
    RequestContext ctx;
    ctx.account = d.scope.account;
    ctx.region = d.scope.region;
    ctx.now_ms = now_ms;
    std::string id = ids::Uuid();
    OrderedJson envelope =
        BuildEnvelope(id, "Scheduled Event", "aws.events", ctx.account, d.at_ms, ctx.region,
                      {d.rule.arn}, OrderedJson::object());
    std::string text = envelope.dump();
    TransformContext tctx{envelope, text, d.rule.arn, d.rule.name, now_ms};
    std::vector<Delivery> deliveries;
    AppendDeliveries(d.rule, d.targets, tctx, ctx, id, &deliveries);
    if (deliveries.empty()) continue;
    int64_t row = RecordDeliveries(db_, outbox_, deliveries, now_ms);
    worker_.Enqueue(std::move(deliveries), row);
  }
  return static_cast<int>(due.size());
}

}  // namespace edastack::events
