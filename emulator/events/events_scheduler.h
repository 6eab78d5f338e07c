// Fires scheduled rules (PutRule ScheduleExpression, rate(...) or cron(...)) by the injected
// clock, as EventBridge does: at each firing time every target of an enabled scheduled rule
// receives the "Scheduled Event" envelope (source aws.events, resources [the rule's ARN],
// detail {}, time = the scheduled minute), through the same outbox and delivery worker as
// PutEvents. A rule fires from the first firing time after the scheduler first sees it:
// firings missed while the process was down are not made up (AWS does not backfill either).
// Thread-safe; borrows everything it is given.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "emulator/events/events_delivery.h"
#include "emulator/storage/database.h"
#include "emulator/storage/outbox.h"
#include "protocol/core/clock.h"

namespace edastack::events {

class Scheduler {
 public:
  Scheduler(storage::Database& db, const Clock& clock, storage::Outbox& outbox,
            DeliveryWorker& worker);
  ~Scheduler();

  // Fires every scheduled rule due at or before `now_ms`; returns how many rules fired.
  int FireDue(int64_t now_ms);
  // Calls FireDue(clock now) every `tick_ms` on a thread, until Stop().
  void Start(int64_t tick_ms);
  void Stop();
  // Forgets the rules seen so far (after a reset).
  void Clear();

 private:
  void Loop(int64_t tick_ms);

  storage::Database& db_;
  const Clock& clock_;
  storage::Outbox& outbox_;
  DeliveryWorker& worker_;

  std::mutex fire_mu_;  // one FireDue at a time
  // Guarded by fire_mu_: rule ARN + "\n" + expression → its next firing time.
  std::map<std::string, int64_t> next_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace edastack::events
