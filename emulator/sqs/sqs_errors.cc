#include "emulator/sqs/sqs_errors.h"

namespace edastack::sqs::err {
namespace {
const std::string kPrefix = "AWS.SimpleQueueService.";
}

AwsError QueueDoesNotExist() {
  return MakeError("QueueDoesNotExist", "The specified queue does not exist.", 400, true,
                   kPrefix + "NonExistentQueue");
}
AwsError QueueNameExists(const std::string& name) {
  return MakeError("QueueNameExists",
                   "A queue already exists with the same name and a different value for "
                   "attribute(s) of " + name + ".",
                   400, true, "QueueAlreadyExists");
}
AwsError QueueDeletedRecently() {
  return MakeError("QueueDeletedRecently",
                   "You must wait 60 seconds after deleting a queue before you can create "
                   "another with the same name.",
                   400, true, kPrefix + "QueueDeletedRecently");
}
AwsError ReceiptHandleIsInvalid(const std::string& handle) {
  return MakeError("ReceiptHandleIsInvalid",
                   "The input receipt handle \"" + handle + "\" is not a valid receipt handle.");
}
AwsError InvalidAttributeName(const std::string& name) {
  return MakeError("InvalidAttributeName", "Unknown Attribute " + name + ".");
}
AwsError InvalidAttributeValue(const std::string& message) {
  return MakeError("InvalidAttributeValue", message);
}
AwsError InvalidMessageContents(const std::string& message) {
  return MakeError("InvalidMessageContents", message);
}
AwsError InvalidIdFormat(const std::string& message) {
  return MakeError("InvalidIdFormat", message);
}
AwsError MessageNotInflight() {
  return MakeError("MessageNotInflight", "The message referred to isn't in flight.", 400, true,
                   kPrefix + "MessageNotInflight");
}
AwsError BatchEntryIdsNotDistinct(const std::string& id) {
  return MakeError("BatchEntryIdsNotDistinct", "Id " + id + " repeated.", 400, true,
                   kPrefix + "BatchEntryIdsNotDistinct");
}
AwsError BatchRequestTooLong(size_t length, size_t max) {
  return MakeError("BatchRequestTooLong",
                   "Batch requests cannot be longer than " + std::to_string(max) +
                       " bytes. You have sent " + std::to_string(length) + " bytes.",
                   400, true, kPrefix + "BatchRequestTooLong");
}
AwsError EmptyBatchRequest(const std::string& entry_shape) {
  return MakeError("EmptyBatchRequest",
                   "There should be at least one " + entry_shape + " in the request.", 400, true,
                   kPrefix + "EmptyBatchRequest");
}
AwsError InvalidBatchEntryId(const std::string& id) {
  return MakeError("InvalidBatchEntryId",
                   "A batch entry id can only contain alphanumeric characters, hyphens and "
                   "underscores. It can be at most 80 letters long.",
                   400, true, kPrefix + "InvalidBatchEntryId");
}
AwsError TooManyEntriesInBatchRequest(size_t count) {
  return MakeError("TooManyEntriesInBatchRequest",
                   "Maximum number of entries per request are 10. You have sent " +
                       std::to_string(count) + ".",
                   400, true, kPrefix + "TooManyEntriesInBatchRequest");
}
AwsError UnsupportedOperation(const std::string& message) {
  return MakeError("UnsupportedOperation", message, 400, true, kPrefix + "UnsupportedOperation");
}
AwsError PurgeQueueInProgress(const std::string& queue) {
  return MakeError("PurgeQueueInProgress",
                   "Only one PurgeQueue operation on " + queue +
                       " is allowed every 60 seconds.",
                   403, true, kPrefix + "PurgeQueueInProgress");
}
AwsError OverLimit(const std::string& message) { return MakeError("OverLimit", message, 403); }
AwsError ResourceNotFound(const std::string& message) {
  return MakeError("ResourceNotFoundException", message, 404, true,
                   "ResourceNotFoundException");
}
AwsError InvalidParameterValue(const std::string& message) {
  return MakeError("InvalidParameterValue", message);
}
AwsError MissingParameter(const std::string& name) {
  AwsError e = MakeError("MissingRequiredParameterException",
                         "The request must contain the parameter " + name + ".", 400, true,
                         "MissingParameter");
  return e;
}
AwsError InvalidAction(const std::string& action) {
  return MakeError("InvalidAction", "The action " + action + " is not valid for this endpoint.",
                   400, true, "InvalidAction");
}
AwsError SerializationError(const std::string& message) {
  return MakeError("SerializationException", message, 400, true, "MalformedQueryString");
}

}  // namespace edastack::sqs::err
