// Delivers matched events to rule targets after PutEvents has answered, through the
// emulator's own AWS wire API (SQS SendMessage JSON 1.0, SNS Publish query form, PutEvents
// to another bus) or the in-process function registry. A failed delivery is retried twice
// when the target answered 5xx, then sent to the target's dead-letter queue if it has one;
// it never reaches the caller of PutEvents. Consecutive deliveries to one SQS queue are sent
// as one SendMessageBatch (order kept, so FIFO groups stay in order).
//
// Durability: the deliveries of one PutEvents call share one outbox row (written by
// PutEvents before it answered); each Delivery holds the row's token and the row is marked
// delivered once all of them are done (delivered, or handed to the DLQ). Work dropped by a
// crash or Stop() stays pending and EventsService::Start replays it.
//
// Owns one worker thread, started by the constructor and joined by Stop() (or the
// destructor). Enqueue and Stop are thread-safe. `send` must stay callable until Stop().
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "emulator/events/events_types.h"
#include "emulator/functions/function_registry.h"
#include "emulator/storage/outbox.h"
#include "protocol/core/clock.h"
#include "protocol/core/result.h"
#include "protocol/http/message.h"
#include "protocol/sigv4/signer.h"

namespace edastack::events {

class DeliveryWorker {
 public:
  using Sender = std::function<http::Response(http::Request&)>;

  // `outbox` (may be null: no durability) must outlive the worker. With `hold`, Enqueue
  // drops the work and leaves the row pending (EmulatorOptions::hold_deliveries).
  DeliveryWorker(Sender send, const FunctionRegistry* functions, sigv4::Credentials creds,
                 const Clock& clock, storage::Outbox* outbox = nullptr, bool hold = false);
  ~DeliveryWorker();
  DeliveryWorker(const DeliveryWorker&) = delete;
  DeliveryWorker& operator=(const DeliveryWorker&) = delete;

  // Queues `batch`; a non-zero `outbox_id` is the row its deliveries come from.
  void Enqueue(std::vector<Delivery> batch, int64_t outbox_id = 0);
  // Stops the thread; deliveries still queued are dropped (and logged).
  void Stop();
  // Drops queued deliveries (after a reset).
  void Clear();
  // Blocks until the queue is empty and nothing is in flight. For tests.
  void TEST_WaitIdle();

  // Makes one delivery now, on the calling thread. Error: the target's answer.
  Status DeliverOne(const Delivery& d);

  // The wire requests a delivery turns into (exposed for tests). Unsigned.
  static std::optional<http::Request> BuildRequest(const Delivery& d);

 private:
  static constexpr size_t kSqsBatchMax = 10;
  static constexpr size_t kSqsBatchBytes = 256 * 1024 - 1024;

  void Run();
  // Sends ds[0..n) (same queue) as one SendMessageBatch; failures go one by one to DLQs.
  void DeliverSqsBatch(const Delivery* ds, size_t n);
  void SendToDeadLetter(const Delivery& d, const AwsError& e);

  const Sender send_;
  const FunctionRegistry* functions_;
  const sigv4::Credentials creds_;
  const Clock& clock_;
  storage::Outbox* const outbox_;
  const bool hold_;

  std::mutex mu_;
  std::condition_variable cv_;
  // Guarded by mu_:
  std::deque<Delivery> queue_;
  bool stop_ = false;
  int in_flight_ = 0;

  std::thread thread_;  // last: starts after the members above exist
};

}  // namespace edastack::events
