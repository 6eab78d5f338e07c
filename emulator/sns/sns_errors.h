// The SNS error catalog: one factory per AWS error (code and status from the botocore model).
#pragma once

#include <string>

#include "protocol/core/result.h"

namespace edastack::sns::errors {

AwsError NotFound(const std::string& message);  // 404
AwsError TopicNotFound();
AwsError SubscriptionNotFound();
AwsError InvalidParameter(const std::string& message);  // 400, message as AWS words it
AwsError ParameterValueInvalid(const std::string& message);
AwsError ResourceNotFound(const std::string& message);  // tagging, 404
AwsError TagLimitExceeded();
AwsError BatchEntryIdsNotDistinct();
AwsError TooManyEntriesInBatchRequest();
AwsError EmptyBatchRequest();
AwsError InvalidBatchEntryId();
AwsError BatchRequestTooLong();
AwsError InvalidAction(const std::string& action);
AwsError MissingParameter(const std::string& name);

}  // namespace edastack::sns::errors
