// Delivers published messages to subscribers after Publish committed, never failing it.
//
// Two kinds of lane, each with its own threads, started by the constructor and stopped by
// Shutdown():
//  - the ordered lanes (one thread each) take the queued Fanouts in publish order, apply the
//    filter policies and deliver to SQS subscribers at once: the copies for one queue go out
//    in publish order as SendMessageBatch calls of up to 10 (so FIFO topics keep group order,
//    and a burst costs one SQS transaction per 10 copies instead of one per copy);
//    a subscriber always belongs to the same ordered lane (by its endpoint), so its copies
//    keep publish order while a fan-out to many queues is spread over the lanes;
//    http(s) and lambda deliveries are handed to the retry lane;
//  - the retry lane (a small pool) runs http(s) POSTs, Lambda invocations and every retry,
//    each job at its due time (delays from the delivery policy).
// A delivery that fails for good goes to the subscription's RedrivePolicy DLQ (an SQS queue).
// SQS deliveries go through Emulator::Handle as AWS wire requests (AmazonSQS.SendMessage).
// Durability: each Fanout carries its outbox row (written by Publish in its transaction);
// the row is marked delivered when every subscriber's delivery (with retries and DLQ
// hand-off) is finished, so work dropped by a crash or shutdown is replayed at start-up
// (SnsService::Start). A retry round is recorded in the row (attempts, due time).
// Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <queue>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "emulator/sns/sns_operations.h"
#include "emulator/sns/sns_message.h"
#include "emulator/sns/sns_signer.h"
#include "protocol/http/message.h"

namespace edastack {
class Emulator;
}

namespace edastack::sns {

// Retry schedule of an http(s) delivery policy (AWS "healthyRetryPolicy").
struct RetryPolicy {
  int num_retries = 3;
  int num_no_delay_retries = 0;
  int num_min_delay_retries = 0;
  int num_max_delay_retries = 0;
  int min_delay_s = 20;
  int max_delay_s = 20;
  // Delay before retry number `retry` (1-based), in milliseconds.
  int64_t DelayMs(int retry) const;
};
// The effective policy: the subscription's DeliveryPolicy healthyRetryPolicy, else the
// topic's http.defaultHealthyRetryPolicy, else AWS's defaults.
RetryPolicy EffectiveRetryPolicy(const std::string& topic_policy,
                                 const std::string& subscription_policy);

class Delivery {
 public:
  // `emu` and `signer` must outlive this object. Starts the worker threads.
  Delivery(Emulator& emu, const Signer& signer, size_t retry_threads = 4);
  ~Delivery();
  Delivery(const Delivery&) = delete;
  Delivery& operator=(const Delivery&) = delete;

  // Queues a fan-out in the ordered lane, after `delay_ms` (a replayed row that was waiting
  // for a retry keeps its due time); takes an outbox token for fanout.outbox_id.
  // With EmulatorOptions::hold_deliveries nothing is queued (the row stays pending).
  void Dispatch(Fanout fanout, int64_t delay_ms = 0);
  // Queues a SubscriptionConfirmation POST after `delay_ms`; takes an outbox token for
  // confirm.outbox_id (the row is done once the POST succeeded or failed for good).
  void SendConfirmation(ConfirmationRequest confirm, int64_t delay_ms = 0);
  // Drops queued work (after a reset emptied the outbox).
  void Clear();
  // Stops the threads; queued deliveries are dropped (their outbox rows stay pending, since
  // the Emulator closed the outbox first). Idempotent.
  void Shutdown();

 private:
  struct Job {
    // Notification jobs; a job with a fanout and no subscriber is a delayed Dispatch.
    std::shared_ptr<const Fanout> fanout;
    std::shared_ptr<const Subscriber> subscriber;
    std::shared_ptr<const ConfirmationRequest> confirm;  // confirmation jobs
    int attempt = 0;  // deliveries tried so far
    std::chrono::steady_clock::time_point due;
    uint64_t seq = 0;
  };
  struct Later {
    bool operator()(const Job& a, const Job& b) const {
      return a.due != b.due ? a.due > b.due : a.seq > b.seq;
    }
  };
  enum class Outcome { kOk, kRetry, kFailed };
  // One SQS delivery of the ordered lane, waiting to go out in a batch.
  struct SqsCopy {
    Job job;
    std::string body;
    const MessageAttributes* attrs = nullptr;  // raw delivery: the message's attributes
  };
  // Most fan-outs an ordered lane takes per round, and SendMessageBatch's limits.
  static constexpr size_t kMaxFanoutsPerRound = 256;
  // Ordered lanes: one per core of the machine this was measured on (2); each lane's work
  // is mostly outside the database lock (bodies, JSON, MD5s), so two overlap.
  static constexpr size_t kOrderedLanes = 2;
  struct Lane {
    std::condition_variable cv;
    std::deque<std::shared_ptr<const Fanout>> queue;  // guarded by mu_
  };
  // The lane of a subscriber's endpoint: fixed at first sight, to the lane with the fewest
  // endpoints so far (a hash split 10 queues 3:7 between two lanes).
  size_t LaneOf(const Subscriber& s);
  static constexpr size_t kSqsBatchMax = 10;
  static constexpr size_t kSqsBatchBytes = 256 * 1024 - 1024;

  void OrderedLoop(size_t lane);
  void RetryLoop();
  void Schedule(Job job, int64_t delay_ms);
  void Enqueue(std::shared_ptr<const Fanout> f);
  void Run(Job job);
  // What follows a delivery attempt: done, a scheduled retry, or the DLQ.
  void Settle(Job job, Outcome o, const std::string& error);
  // Delivers the copies of `fanouts` to the subscribers of lane `lane`.
  void FanOut(const std::vector<std::shared_ptr<const Fanout>>& fanouts, size_t lane);
  // Sends copies[0..n) (same queue, same origin) as one SendMessageBatch.
  void SendSqsBatch(SqsCopy* copies, size_t n);

  Outcome DeliverSqs(const Fanout& f, const Subscriber& s, std::string* error);
  // The SQS message body for subscriber `s` (raw message or signed envelope).
  std::string SqsBody(const Fanout& f, const Subscriber& s) const;
  Outcome DeliverHttp(const Fanout& f, const Subscriber& s, std::string* error);
  Outcome DeliverLambda(const Fanout& f, const Subscriber& s, std::string* error);
  Outcome SendConfirmationNow(const ConfirmationRequest& c, std::string* error);
  // SendMessage to the queue `queue_arn`; kFailed when the queue does not exist.
  http::Response SendSqs(const std::string& queue_arn, const std::string& origin,
                         const char* action, nlohmann::json params);
  Outcome SendToQueue(const std::string& queue_arn, const std::string& origin,
                      const std::string& body, const MessageAttributes* attrs,
                      const std::string& group_id, const std::string& dedup_id,
                      std::string* error);
  void ToDeadLetterQueue(const Fanout& f, const Subscriber& s, const std::string& why);
  Outcome PostHttp(const std::string& url, const std::string& body,
                   const std::vector<std::pair<std::string, std::string>>& headers,
                   std::string* error);
  EnvelopeLinks Links(const Fanout& f, const Subscriber& s) const;
  int MaxAttempts(const Job& job) const;
  int64_t RetryDelayMs(const Job& job) const;

  Emulator& emu_;
  const Signer& signer_;
  // Stands in for UnsubscribeURL in the envelope built once per fan-out (random, so no
  // message can contain it).
  const std::string unsubscribe_placeholder_;

  std::mutex mu_;
  std::condition_variable retry_cv_;
  Lane lanes_[kOrderedLanes];
  std::mutex lane_of_mu_;
  std::unordered_map<std::string, size_t> lane_of_;  // guarded by lane_of_mu_
  size_t lane_endpoints_[kOrderedLanes] = {};         // guarded by lane_of_mu_
  // Guarded by mu_:
  bool stopping_ = false;
  std::priority_queue<Job, std::vector<Job>, Later> scheduled_;
  uint64_t next_seq_ = 0;

  std::vector<std::thread> threads_;
};

}  // namespace edastack::sns
