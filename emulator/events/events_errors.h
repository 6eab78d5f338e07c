// EventBridge's error catalog (PROTOCOLS.md §6.2): one factory per AWS error. JSON 1.1
// renders `__type` without a namespace prefix. Pure functions.
#pragma once

#include <string>

#include "protocol/core/result.h"

namespace edastack::events::err {

AwsError RuleNotFound(const std::string& rule, const std::string& bus);
AwsError BusNotFound(const std::string& bus);
AwsError BusAlreadyExists(const std::string& bus);
AwsError RuleHasTargets();
AwsError TooManyTargets();
// ValidationException with a free message (model constraints and documented checks).
AwsError Validation(const std::string& message);
// "1 validation error detected: Value '<v>' at '<field>' failed to satisfy constraint: <c>"
AwsError Constraint(const std::string& value, const std::string& field,
                    const std::string& constraint);
AwsError MissingMember(const std::string& field);
AwsError Serialization(const std::string& message);
AwsError UnknownOperation(const std::string& op);
AwsError InvalidToken();

}  // namespace edastack::events::err
