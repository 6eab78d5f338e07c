// EventBridge over JSON 1.1 (`X-Amz-Target: AWSEvents.<Op>`, PROTOCOLS.md §6): decodes the
// request, runs the operation, encodes the answer, and hands PutEvents' deliveries to the
// delivery worker after the answer is built. Thread-safe.
//
// PutEvents with a Source starting "aws." fails that entry with NotAuthorizedForSourceException,
// as on AWS, unless the request carries `x-edastack-internal: 1`, which the emulator's own
// services (S3 → default bus) set on their in-process requests. Borrows the Emulator, which
// owns this handler and outlives it.
#pragma once

#include <memory>

#include "emulator/events/events_delivery.h"
#include "emulator/events/events_operations.h"
#include "emulator/events/events_scheduler.h"
#include "emulator/server/emulator.h"
#include "emulator/server/service.h"

namespace edastack::events {

class EventsService : public ServiceHandler {
 public:
  // Migrates the events tables and starts the delivery worker.
  explicit EventsService(Emulator& emu);
  ~EventsService() override;

  http::Response Handle(const RequestContext& ctx, const http::Route& route,
                        http::Request& req) override;
  void OnReset() override;
  // Replays the deliveries pending in the outbox, oldest PutEvents call first, and starts
  // firing scheduled rules (checked every second).
  void Start() override;
  void Shutdown() override;

  DeliveryWorker& TEST_delivery() { return *worker_; }
  Scheduler& TEST_scheduler() { return *scheduler_; }

 private:
  Result<OrderedJson> Dispatch(const RequestContext& ctx, const std::string& op,
                               const OrderedJson& body, bool internal);

  Emulator& emu_;
  RuleCache rules_;
  std::unique_ptr<DeliveryWorker> worker_;
  std::unique_ptr<Scheduler> scheduler_;
};

}  // namespace edastack::events
