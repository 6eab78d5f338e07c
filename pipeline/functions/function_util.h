// Pieces shared by the functions' implementations (not part of their interface): failure
// accounting and the per-message timer.
#pragma once

#include <string>

#include "pipeline/functions/functions.h"
#include "pipeline/runtime/event_log.h"

namespace edastack::pipeline::fnutil {

inline bool IsConditionFailed(const AwsError& e) {
  return e.code == "ConditionalCheckFailedException";
}

// Counts a failure, logs it and returns it as the message's status.
inline Status Failed(FunctionContext& ctx, const char* fn, const std::string& event_id,
                     const AwsError& e, const std::string& what) {
  ctx.metrics.Inc(Metrics::kFailed, fn);
  LogEvent(log::Level::kWarn, fn, event_id, what, {{"error", e.code + ": " + e.message}});
  return e;
}

// Counts a received message (and a retry) when made; Done() counts it processed and observes
// its processing time. Movable, so a batch keeps one per message.
class Timer {
 public:
  Timer(FunctionContext& ctx, const char* fn, int receive_count)
      : ctx_(&ctx), fn_(fn), start_(ctx.clock.NowMillis()) {
    ctx_->metrics.Inc(Metrics::kReceived, fn_);
    if (receive_count > 1) ctx_->metrics.Inc(Metrics::kRetries, fn_);
  }
  void Done() {
    ctx_->metrics.Inc(Metrics::kProcessed, fn_);
    ctx_->metrics.Observe(fn_, (ctx_->clock.NowMillis() - start_) / 1000.0);
  }

 private:
  FunctionContext* ctx_;
  const char* fn_;
  int64_t start_;
};

}  // namespace edastack::pipeline::fnutil
