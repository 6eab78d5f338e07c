#include "pipeline/runtime/poller.h"

#include <algorithm>
#include <chrono>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pipeline/runtime/event_log.h"

namespace edastack::pipeline {

Poller::Poller(aws::Sqs& sqs, PollerOptions options, BatchHandler handler)
    : sqs_(sqs), options_(std::move(options)), handler_(std::move(handler)) {}

Poller::Poller(aws::Sqs& sqs, PollerOptions options, Handler handler)
    : Poller(sqs, std::move(options),
             [h = std::move(handler)](const std::vector<aws::SqsMessage>& messages) {
               std::vector<Status> out;
               for (const auto& m : messages) out.push_back(h(m));
               return out;
             }) {}

Poller::~Poller() { Stop(); }

void Poller::Start() {
  stop_ = false;
  for (int i = 0; i < std::max(1, options_.concurrency); ++i)
    threads_.emplace_back([this] { Run(); });
}

void Poller::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

bool Poller::Sleep(int ms) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stop_.load(); });
  return !stop_;
}

Result<int> Poller::PollOnce() {
  int batch = std::clamp(options_.batch_size, 1, 10);
  EDA_ASSIGN_OR_RETURN(std::vector<aws::SqsMessage> messages,
                       sqs_.ReceiveMessage(options_.queue_url, batch, options_.wait_seconds,
                                           options_.visibility_timeout));
  if (messages.empty()) return 0;
  std::vector<Status> statuses = handler_(messages);
  std::vector<aws::BatchEntry> done, failed;
  for (size_t i = 0; i < messages.size(); ++i) {
    bool ok = i < statuses.size() && statuses[i].ok();
    aws::BatchEntry entry{"m" + std::to_string(i), messages[i].receipt_handle,
                          options_.retry_visibility_seconds};
    (ok ? done : failed).push_back(entry);
  }
  if (!done.empty()) {
    auto deleted = sqs_.DeleteMessageBatch(options_.queue_url, done);
    if (!deleted.ok() || !deleted->failed.empty())
      LogEvent(log::Level::kWarn, options_.function, "", "DeleteMessageBatch failed",
               {{"error", deleted.ok() ? deleted->failed.front().second : deleted.error().code}});
  }
  if (!failed.empty() && options_.retry_visibility_seconds >= 0) {
    auto changed = sqs_.ChangeMessageVisibilityBatch(options_.queue_url, failed);
    if (!changed.ok())
      LogEvent(log::Level::kDebug, options_.function, "", "ChangeMessageVisibilityBatch failed",
               {{"error", changed.error().code}});
  }
  return static_cast<int>(messages.size());
}

void Poller::Run() {
#ifdef SYS_gettid
  if (options_.nice != 0)
    setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), options_.nice);
#endif
  int backoff_ms = 0;
  while (!stop_) {
    if (options_.client_first) {
      options_.client_first->WaitTurn();
      if (stop_) break;
    }
    auto started = std::chrono::steady_clock::now();
    auto received = PollOnce();
    if (stop_) break;
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::steady_clock::now() - started)
                       .count();
    if (!received.ok()) {
      backoff_ms = std::min(options_.max_backoff_ms, std::max(50, backoff_ms * 2));
      LogEvent(log::Level::kWarn, options_.function, "", "ReceiveMessage failed",
               {{"error", received.error().code + ": " + received.error().message},
                {"backoffMs", backoff_ms}});
      if (!Sleep(backoff_ms)) break;
    } else if (*received == 0 && elapsed < 100) {
      // The endpoint answered an empty receive at once (no long polling): back off.
      backoff_ms = std::min(options_.max_backoff_ms, std::max(10, backoff_ms * 2));
      if (!Sleep(backoff_ms)) break;
    } else {
      backoff_ms = 0;
    }
  }
}

}  // namespace edastack::pipeline
