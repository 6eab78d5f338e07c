// The pipeline's functions (the Lambdas of the original design), each handling one SQS
// message and returning OK when the message may be deleted. All are idempotent: a message
// delivered twice never makes a second record, a second confirmation or a second publish of
// a different event.
//   IngestFunction        ingest queue (S3 events)  -> normalised event -> main topic
//   ProcessorFunction     main queue (SNS envelope) -> conditional put   -> confirmation queue
//   ConfirmationFunction  confirmation queue        -> CONFIRMED update  -> notifications topic
// Each holds references to the Apis, the clock and the metrics (which must outlive it) and a
// copy of the Environment. Thread-safe: Handle may run on many poller threads at once.
#pragma once

#include <string>

#include "pipeline/aws/apis.h"
#include "pipeline/functions/event.h"
#include "pipeline/resources/deployer.h"
#include "pipeline/runtime/metrics.h"
#include "protocol/core/clock.h"

namespace edastack::pipeline {

struct FunctionContext {
  aws::Apis& apis;
  Environment env;
  const Clock& clock;
  Metrics& metrics;
};

// Records live for 7 days (`ttl` attribute, epoch seconds).
inline constexpr int64_t kRecordTtlSeconds = 7 * 24 * 3600;

// Publishes `e` to the main topic (API, trigger and ingest use it). Returns the MessageId.
Result<std::string> PublishEvent(FunctionContext& ctx, const PipelineEvent& e);

class IngestFunction {
 public:
  static constexpr const char* kName = "s3-event-processor";
  explicit IngestFunction(FunctionContext ctx) : ctx_(std::move(ctx)) {}
  Status Handle(const aws::SqsMessage& m);

 private:
  FunctionContext ctx_;
};

class ProcessorFunction {
 public:
  static constexpr const char* kName = "sqs-message-processor";
  explicit ProcessorFunction(FunctionContext ctx) : ctx_(std::move(ctx)) {}
  Status Handle(const aws::SqsMessage& m);

 private:
  Status Confirm(const PipelineEvent& e, const std::string& processed_at);
  FunctionContext ctx_;
};

class ConfirmationFunction {
 public:
  static constexpr const char* kName = "confirmation-sender";
  // Set on a CONFIRMED record whose notification could not be published yet.
  static constexpr const char* kNotificationPending = "notificationPending";
  explicit ConfirmationFunction(FunctionContext ctx) : ctx_(std::move(ctx)) {}
  Status Handle(const aws::SqsMessage& m);

 private:
  Status Notify(const std::string& id, const nlohmann::json& confirmation,
                const std::string& confirmed_at, bool pending_marked);
  FunctionContext ctx_;
};

}  // namespace edastack::pipeline
