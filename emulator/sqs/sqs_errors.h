// The SQS error catalog: one factory per AWS error (PROTOCOLS.md §2.2). Each carries the
// modeled shape name (JSON `__type`), the legacy query code and the HTTP status.
#pragma once

#include <string>

#include "protocol/core/result.h"

namespace edastack::sqs::err {

AwsError QueueDoesNotExist();
AwsError QueueNameExists(const std::string& name);
AwsError QueueDeletedRecently();
AwsError ReceiptHandleIsInvalid(const std::string& handle);
AwsError InvalidAttributeName(const std::string& name);
AwsError InvalidAttributeValue(const std::string& message);
AwsError InvalidMessageContents(const std::string& message);
AwsError InvalidIdFormat(const std::string& message);
AwsError MessageNotInflight();
AwsError BatchEntryIdsNotDistinct(const std::string& id);
AwsError BatchRequestTooLong(size_t length, size_t max);
AwsError EmptyBatchRequest(const std::string& entry_shape);
AwsError InvalidBatchEntryId(const std::string& id);
AwsError TooManyEntriesInBatchRequest(size_t count);
AwsError UnsupportedOperation(const std::string& message);
AwsError PurgeQueueInProgress(const std::string& queue);
AwsError OverLimit(const std::string& message);
AwsError ResourceNotFound(const std::string& message);
AwsError InvalidParameterValue(const std::string& message);
AwsError MissingParameter(const std::string& name);
AwsError InvalidAction(const std::string& action);
AwsError SerializationError(const std::string& message);

}  // namespace edastack::sqs::err
