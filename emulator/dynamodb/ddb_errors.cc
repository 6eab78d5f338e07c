#include "emulator/dynamodb/ddb_errors.h"

namespace edastack::dynamodb::errors {

AwsError Validation(const std::string& message) {
  return MakeError("ValidationException", message);
}
AwsError ResourceNotFound(const std::string& message) {
  return MakeError("ResourceNotFoundException", message);
}
AwsError TableNotFound(const std::string& table) {
  return ResourceNotFound("Requested resource not found: Table: " + table + " not found");
}
AwsError ResourceInUse(const std::string& message) {
  return MakeError("ResourceInUseException", message);
}
AwsError ConditionalCheckFailed(const std::string& item_json) {
  AwsError e = MakeError("ConditionalCheckFailedException", "The conditional request failed");
  if (!item_json.empty()) e.extra.emplace_back("Item", item_json);
  return e;
}
AwsError TransactionCanceled(const std::string& reasons_summary, const std::string& reasons_json) {
  AwsError e = MakeError("TransactionCanceledException",
                         "Transaction cancelled, please refer cancellation reasons for specific "
                         "reasons [" +
                             reasons_summary + "]");
  e.extra.emplace_back("CancellationReasons", reasons_json);
  return e;
}
AwsError IdempotentParameterMismatch() {
  return MakeError("IdempotentParameterMismatchException",
                   "The request uses the same client token as a previous, but non-identical "
                   "request.");
}
AwsError ItemCollectionSizeLimitExceeded() {
  return MakeError("ItemCollectionSizeLimitExceededException", "Collection size exceeded.");
}
AwsError Serialization(const std::string& message) {
  return MakeError("SerializationException", message);
}
AwsError UnknownOperation(const std::string& op) {
  return MakeError("UnknownOperationException", "Unknown operation: " + op);
}
AwsError LimitExceeded(const std::string& message) {
  return MakeError("LimitExceededException", message);
}
AwsError ExpiredIterator(const std::string& message) {
  return MakeError("ExpiredIteratorException", message);
}
AwsError TrimmedDataAccess(const std::string& message) {
  return MakeError("TrimmedDataAccessException", message);
}

std::string TypeFor(const std::string& code) {
  if (code == "ValidationException") return "com.amazon.coral.validate#ValidationException";
  if (code == "SerializationException" || code == "UnknownOperationException")
    return "com.amazon.coral.service#" + code;
  return "com.amazonaws.dynamodb.v20120810#" + code;
}

}  // namespace edastack::dynamodb::errors
