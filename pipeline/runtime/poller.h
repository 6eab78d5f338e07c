// An SQS event source (Lambda's event source mapping): `concurrency` threads long-poll one
// queue in batches, hand each batch to the handler (which answers one status per message,
// as Lambda's partial batch response), delete only the messages it handled
// and make the failed ones visible again after `retry_visibility_seconds` (so they are
// retried and, past the queue's maxReceiveCount, moved to its DLQ). Backs off exponentially
// after errors and after empty receives that returned at once.
// Holds references to the Sqs API and metrics (which must outlive it). Start/Stop from one
// thread; the handler runs on the poller threads concurrently.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "pipeline/aws/sqs.h"
#include "pipeline/runtime/client_first.h"
#include "pipeline/runtime/metrics.h"

namespace edastack::pipeline {

struct PollerOptions {
  std::string function;           // name for logs and metrics
  std::string queue_url;
  int batch_size = 10;            // 1..10
  int concurrency = 2;            // threads
  int wait_seconds = 10;          // long polling, 0..20
  int visibility_timeout = -1;    // per receive; -1 uses the queue's
  int retry_visibility_seconds = 1;  // failed messages become visible again after this
  int max_backoff_ms = 2000;
  // Scheduling niceness of the poller threads (Linux, per thread; 0 leaves it). A positive
  // value lets the threads that answer a waiting client go first when the CPU is short.
  int nice = 0;
  // When set, each thread waits its turn behind the client requests being served before it
  // receives a batch (see client_first.h). Must outlive the poller.
  ClientFirst* client_first = nullptr;
};

class Poller {
 public:
  using Handler = std::function<Status(const aws::SqsMessage&)>;
  // One status per message, in order; a missing status counts as a failure.
  using BatchHandler = std::function<std::vector<Status>(const std::vector<aws::SqsMessage>&)>;
  Poller(aws::Sqs& sqs, PollerOptions options, BatchHandler handler);
  // Calls `handler` on each message of a batch in turn.
  Poller(aws::Sqs& sqs, PollerOptions options, Handler handler);
  ~Poller();
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;

  void Start();
  // Stops the threads; waits for an outstanding long poll (at most wait_seconds) to return.
  void Stop();

  // One receive-handle-delete cycle on the calling thread. Returns how many messages were
  // received, or the receive error. Used by the threads and by tests.
  Result<int> PollOnce();

 private:
  void Run();
  // Sleeps up to ms unless stopped; false when stopped.
  bool Sleep(int ms);

  aws::Sqs& sqs_;
  const PollerOptions options_;
  const BatchHandler handler_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::condition_variable cv_;
};

}  // namespace edastack::pipeline
