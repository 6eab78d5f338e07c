// Group commit of the API's publishes: concurrent POST /events share one SNS PublishBatch.
// A request that finds fewer than kMaxInFlight publishes in flight publishes at once (alone,
// with Publish: no added latency at idle); requests arriving while the publishes are in
// flight queue up, and the next of them to lead publishes the queue's head (up to 10 events,
// 256 KiB) in one PublishBatch. Two in flight keep both halves of a publish busy (the
// caller's encoding and the service's transaction) instead of serialising them.
// Publish() returns only once its own event's publish has been answered, so a 202 is still
// given only after SNS acknowledged (and, on edastack, durably stored) the event.
// Holds a reference to the Sns API (which must outlive it). Thread-safe.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>

#include "pipeline/aws/sns.h"

namespace edastack::pipeline {

class PublishGroup {
 public:
  static constexpr int kMaxInFlight = 2;
  PublishGroup(aws::Sns& sns, std::string topic_arn)
      : sns_(sns), topic_arn_(std::move(topic_arn)) {}
  PublishGroup(const PublishGroup&) = delete;
  PublishGroup& operator=(const PublishGroup&) = delete;

  // Publishes one message; returns its MessageId or the error of its publish.
  Result<std::string> Publish(const std::string& message, const std::string& subject);

  // How many PublishBatch / Publish calls were made, and for how many messages (tests).
  size_t calls() const;
  size_t messages() const;
  // Requests waiting for a leader (tests).
  size_t TEST_queued() const;

 private:
  struct Pending;

  aws::Sns& sns_;
  const std::string topic_arn_;
  // Guarded by mu_:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending*> queue_;  // waiting to be published, oldest first
  int in_flight_ = 0;           // publishes being made by leaders
  size_t calls_ = 0;
  size_t messages_ = 0;
};

}  // namespace edastack::pipeline
