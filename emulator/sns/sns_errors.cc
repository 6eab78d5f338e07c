#include "emulator/sns/sns_errors.h"

namespace edastack::sns::errors {

AwsError NotFound(const std::string& message) { return MakeError("NotFound", message, 404); }
AwsError TopicNotFound() { return NotFound("Topic does not exist"); }
AwsError SubscriptionNotFound() { return NotFound("Subscription does not exist"); }
AwsError InvalidParameter(const std::string& message) {
  return MakeError("InvalidParameter", message, 400);
}
AwsError ParameterValueInvalid(const std::string& message) {
  return MakeError("ParameterValueInvalid", message, 400);
}
AwsError ResourceNotFound(const std::string& message) {
  return MakeError("ResourceNotFound", message, 404);
}
AwsError TagLimitExceeded() {
  return MakeError("TagLimitExceeded", "Could not complete request: tag quota of per resource exceeded",
                   400);
}
AwsError BatchEntryIdsNotDistinct() {
  return MakeError("BatchEntryIdsNotDistinct",
                   "Two or more batch entries in the request have the same Id.", 400);
}
AwsError TooManyEntriesInBatchRequest() {
  return MakeError("TooManyEntriesInBatchRequest",
                   "The batch request contains more entries than permissible.", 400);
}
AwsError EmptyBatchRequest() {
  return MakeError("EmptyBatchRequest", "The batch request doesn't contain any entries.", 400);
}
AwsError InvalidBatchEntryId() {
  return MakeError("InvalidBatchEntryId",
                   "A batch entry id can only contain alphanumeric characters, hyphens and "
                   "underscores. It can be at most 80 letters long.",
                   400);
}
AwsError BatchRequestTooLong() {
  return MakeError("BatchRequestTooLong",
                   "The length of all the messages put together is more than the limit.", 400);
}
AwsError InvalidAction(const std::string& action) {
  return MakeError("InvalidAction",
                   "Could not find operation " + action + " for version 2010-03-31", 400);
}
AwsError MissingParameter(const std::string& name) {
  return InvalidParameter("Invalid parameter: " + name);
}

}  // namespace edastack::sns::errors
