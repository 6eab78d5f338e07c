// Client requests go first. The API marks each request while it serves it; the function
// pollers call WaitTurn() before each batch. The API is "busy" while `busy` or more requests
// are being served at once (they queue for the CPU), and calm once it has been below that
// for `grace`. WaitTurn returns at once when the API is calm; otherwise it waits until it
// is, except that while the API stays busy one batch (of any poller) goes every `max_wait`.
//
// Why not only niceness (PollerOptions::nice): in-process, a function's batch runs the
// emulator's SQLite transactions on the poller thread. A low-priority thread preempted while
// it holds a database lock makes the API's requests wait for it (priority inversion), so a
// burst of POST /events was served at the functions' pace. Yielding at batch boundaries, where
// a function holds nothing, keeps a burst at the API's own rate; the queue absorbs it, as SQS
// does on AWS. A steady load below saturation seldom has `busy` requests at once, so there
// the functions run alongside and keep up; the grace keeps the short dips of a saturated
// API (a group commit answering its batch at once) from letting batches through.
// Thread-safe; a request costs two atomic operations (and a clock read when it ends a busy
// spell).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace edastack::pipeline {

class ClientFirst {
 public:
  ClientFirst(std::chrono::milliseconds max_wait, int busy,
              std::chrono::microseconds grace = std::chrono::milliseconds(2))
      : max_wait_ns_(std::chrono::nanoseconds(max_wait).count()),
        busy_(busy < 1 ? 1 : busy),
        grace_ns_(std::chrono::nanoseconds(grace).count()) {}
  ClientFirst(const ClientFirst&) = delete;
  ClientFirst& operator=(const ClientFirst&) = delete;

  // Held (RAII) while one client request is served.
  class Request {
   public:
    explicit Request(ClientFirst* gate) : gate_(gate) {
      if (gate_) gate_->in_flight_.fetch_add(1);
    }
    ~Request() {
      if (gate_) gate_->Leave();
    }
    Request(const Request&) = delete;
    Request& operator=(const Request&) = delete;

   private:
    ClientFirst* gate_;
  };

  // Waits while the API is busy (see above). Returns true when it had to wait.
  bool WaitTurn();
  // Ends every wait now, and every later one at once (shutdown).
  void Release();
  int in_flight() const { return in_flight_.load(); }
  // How many WaitTurn calls had to wait (batches held back behind the API), since start.
  uint64_t waits() const { return waits_.load(); }

 private:
  static int64_t NowNs();
  bool Calm(int64_t now_ns) const;
  void Leave();

  const int64_t max_wait_ns_;
  const int busy_;
  const int64_t grace_ns_;
  std::atomic<int> in_flight_{0};
  std::atomic<int> waiters_{0};
  std::atomic<uint64_t> waits_{0};
  std::atomic<int64_t> calm_since_ns_{INT64_MIN / 2};  // when in_flight_ last fell below busy_
  std::mutex mu_;
  std::condition_variable cv_;
  // Guarded by mu_:
  bool released_ = false;
  int64_t next_turn_ns_ = INT64_MIN / 2;  // when a batch may next go while the API is busy
};

}  // namespace edastack::pipeline
