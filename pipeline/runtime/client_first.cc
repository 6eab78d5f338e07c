#include "pipeline/runtime/client_first.h"

#include <algorithm>

namespace edastack::pipeline {

int64_t ClientFirst::NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

bool ClientFirst::Calm(int64_t now_ns) const {
  return in_flight_.load() < busy_ && now_ns - calm_since_ns_.load() >= grace_ns_;
}

bool ClientFirst::WaitTurn() {
  if (Calm(NowNs())) return false;
  waits_.fetch_add(1);
  std::unique_lock<std::mutex> lock(mu_);
  // Sequentially consistent: either Leave() sees this waiter and notifies under the lock, or
  // the checks below see the API calm. No wake-up is lost.
  waiters_.fetch_add(1);
  while (!released_) {
    int64_t now = NowNs();
    if (Calm(now)) break;
    if (now >= next_turn_ns_) {
      next_turn_ns_ = now + max_wait_ns_;  // the one batch of this period
      break;
    }
    int64_t wake = next_turn_ns_;
    if (in_flight_.load() < busy_) wake = std::min(wake, calm_since_ns_.load() + grace_ns_);
    cv_.wait_for(lock, std::chrono::nanoseconds(std::max<int64_t>(wake - now, 1000)));
  }
  waiters_.fetch_sub(1);
  return true;
}

void ClientFirst::Leave() {
  if (in_flight_.fetch_sub(1) == busy_) {
    calm_since_ns_.store(NowNs());
    if (waiters_.load() > 0) {
      std::lock_guard<std::mutex> lock(mu_);
      cv_.notify_all();
    }
  }
}

void ClientFirst::Release() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    released_ = true;
  }
  cv_.notify_all();
}

}  // namespace edastack::pipeline
