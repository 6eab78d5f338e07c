// The pipeline's functions (the Lambdas of the original design). Each handles a poller's batch
// of SQS messages and returns one status per message, OK when that message may be deleted
// (Lambda's partial batch response); Handle(m) is the batch of one. The calls a batch makes
// are batched too (one transaction for its conditional writes, one PublishBatch /
// SendMessageBatch for what it sends) and fall back to one call per message when the batch
// call is refused, so one bad message never fails the others. All are idempotent: a message
// delivered twice never makes a second record, a second confirmation or a second publish of
// a different event.
//   IngestFunction        ingest queue (S3 events)  -> normalised event -> main topic
//   ProcessorFunction     main queue (SNS envelope) -> conditional put   -> confirmation queue
//   ConfirmationFunction  confirmation queue        -> CONFIRMED update  -> notifications topic
// Each holds references to the Apis, the clock and the metrics (which must outlive it) and a
// copy of the Environment. Thread-safe: Handle may run on many poller threads at once.
#pragma once

#include <string>
#include <vector>

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
  Status Handle(const aws::SqsMessage& m) { return HandleBatch({m})[0]; }
  std::vector<Status> HandleBatch(const std::vector<aws::SqsMessage>& messages);

 private:
  FunctionContext ctx_;
};

class ProcessorFunction {
 public:
  static constexpr const char* kName = "sqs-message-processor";
  explicit ProcessorFunction(FunctionContext ctx) : ctx_(std::move(ctx)) {}
  Status Handle(const aws::SqsMessage& m) { return HandleBatch({m})[0]; }
  std::vector<Status> HandleBatch(const std::vector<aws::SqsMessage>& messages);

 private:
  enum class Put { kNew, kDuplicateToConfirm, kDuplicateDone };
  // The conditional put of one record, with the duplicate check.
  Result<Put> PutOne(const PipelineEvent& e, const nlohmann::json& item);
  FunctionContext ctx_;
};

class ConfirmationFunction {
 public:
  static constexpr const char* kName = "confirmation-sender";
  // Set on a CONFIRMED record whose notification could not be published yet.
  static constexpr const char* kNotificationPending = "notificationPending";
  explicit ConfirmationFunction(FunctionContext ctx) : ctx_(std::move(ctx)) {}
  Status Handle(const aws::SqsMessage& m) { return HandleBatch({m})[0]; }
  std::vector<Status> HandleBatch(const std::vector<aws::SqsMessage>& messages);

 private:
  // What the CONFIRMED update of one event found.
  struct Update {
    bool notify = false;          // a notification is owed
    bool pending_marked = false;  // ... by a record marked notificationPending
    std::string confirmed_at;
  };
  Result<Update> UpdateOne(const std::string& id, const aws::Expression& expr,
                           const std::string& now_iso);
  // After the notification's publish: clears or sets the notificationPending mark.
  Status AfterNotify(const std::string& id, const Result<std::string>& published,
                     bool pending_marked);
  FunctionContext ctx_;
};

}  // namespace edastack::pipeline
