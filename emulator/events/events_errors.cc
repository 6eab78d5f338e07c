#include "emulator/events/events_errors.h"

namespace edastack::events::err {

AwsError RuleNotFound(const std::string& rule, const std::string& bus) {
  return MakeError("ResourceNotFoundException",
                   "Rule " + rule + " does not exist on EventBus " + bus + ".");
}

AwsError BusNotFound(const std::string& bus) {
  return MakeError("ResourceNotFoundException", "Event bus " + bus + " does not exist.");
}

AwsError BusAlreadyExists(const std::string& bus) {
  return MakeError("ResourceAlreadyExistsException", "Event bus " + bus + " already exists.");
}

AwsError RuleHasTargets() {
  return MakeError("ValidationException", "Rule can't be deleted since it has targets.");
}

AwsError TooManyTargets() {
  return MakeError("LimitExceededException",
                   "The requested resource exceeds the maximum number allowed.");
}

AwsError Validation(const std::string& message) {
  return MakeError("ValidationException", message);
}

AwsError Constraint(const std::string& value, const std::string& field,
                    const std::string& constraint) {
  return MakeError("ValidationException", "1 validation error detected: Value '" + value +
                                              "' at '" + field +
                                              "' failed to satisfy constraint: " + constraint);
}

AwsError MissingMember(const std::string& field) {
  return MakeError("ValidationException",
                   "1 validation error detected: Value null at '" + field +
                       "' failed to satisfy constraint: Member must not be null");
}

AwsError Serialization(const std::string& message) {
  return MakeError("SerializationException", message);
}

AwsError UnknownOperation(const std::string& op) {
  return MakeError("UnknownOperationException", "Unknown operation " + op);
}

AwsError InvalidToken() {
  return MakeError("ValidationException", "The nextToken provided is invalid.");
}

}  // namespace edastack::events::err
