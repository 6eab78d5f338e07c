#include "pipeline/api/publish_group.h"

#include <vector>

#include "pipeline/functions/batch_send.h"

namespace edastack::pipeline {

struct PublishGroup::Pending {
  OutMessage message;
  Result<std::string> result = MakeError("NotPublished", "not published yet", 500, false);
  bool done = false;
  std::condition_variable cv;  // signalled when done, or when it may lead
};

Result<std::string> PublishGroup::Publish(const std::string& message,
                                          const std::string& subject) {
  Pending self;
  self.message = {message, subject};
  std::unique_lock<std::mutex> lock(mu_);
  queue_.push_back(&self);
  while (!self.done) {
    // Wait while the publishes in flight are as many as allowed, or while another leader
    // is publishing this request (it is no longer queued).
    if (in_flight_ >= kMaxInFlight || queue_.empty()) {
      self.cv.wait(lock);
      continue;
    }
    // Lead: take the head of the queue (what gathered while the last publish was in
    // flight), as much as one PublishBatch takes.
    ++in_flight_;
    std::vector<Pending*> batch;
    std::vector<OutMessage> messages;
    size_t bytes = 0;
    while (!queue_.empty() && batch.size() < aws::kMaxPublishBatchEntries) {
      OutMessage& m = queue_.front()->message;
      size_t size = m.body.size() + m.subject.size();
      if (!batch.empty() && bytes + size > aws::kMaxPublishBatchBytes) break;
      bytes += size;
      batch.push_back(queue_.front());
      messages.push_back(std::move(m));
      queue_.pop_front();
    }
    lock.unlock();
    std::vector<Result<std::string>> results;
    try {
      results = PublishAll(sns_, topic_arn_, messages);
    } catch (const std::exception& e) {  // never leave the followers waiting
      results.assign(batch.size(), MakeError("InternalFailure", e.what(), 500, false));
    }
    lock.lock();
    for (size_t i = 0; i < batch.size(); ++i) {
      batch[i]->result = std::move(results[i]);
      batch[i]->done = true;
      if (batch[i] != &self) batch[i]->cv.notify_one();
    }
    ++calls_;
    messages_ += batch.size();
    --in_flight_;
    // Each waiter is woken once for its own answer; only the oldest waiting request is woken
    // to lead the next batch (no thundering herd of every waiting connection thread).
    if (!queue_.empty() && queue_.front() != &self) queue_.front()->cv.notify_one();
  }
  return std::move(self.result);
}

size_t PublishGroup::calls() const {
  std::lock_guard<std::mutex> lock(mu_);
  return calls_;
}

size_t PublishGroup::TEST_queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

size_t PublishGroup::messages() const {
  std::lock_guard<std::mutex> lock(mu_);
  return messages_;
}

}  // namespace edastack::pipeline
