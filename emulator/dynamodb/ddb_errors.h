// DynamoDB's error catalog: one factory per AWS error (PROTOCOLS.md §5.2). All are 400
// except InternalServerError.
#pragma once

#include <string>

#include "protocol/core/result.h"

namespace edastack::dynamodb::errors {

AwsError Validation(const std::string& message);
AwsError ResourceNotFound(const std::string& message = "Requested resource not found");
AwsError TableNotFound(const std::string& table);
AwsError ResourceInUse(const std::string& message);
// `item_json` (the old item) is added as "Item" when non-empty.
AwsError ConditionalCheckFailed(const std::string& item_json = "");
AwsError TransactionCanceled(const std::string& reasons_summary, const std::string& reasons_json);
AwsError IdempotentParameterMismatch();
// A write would grow an item collection of a table with a local index past its limit.
AwsError ItemCollectionSizeLimitExceeded();
AwsError Serialization(const std::string& message);
AwsError UnknownOperation(const std::string& op);
AwsError LimitExceeded(const std::string& message);
AwsError ExpiredIterator(const std::string& message);
AwsError TrimmedDataAccess(const std::string& message);

// The JSON `__type` for an error code (ValidationException lives in coral's namespace).
std::string TypeFor(const std::string& code);

}  // namespace edastack::dynamodb::errors
