// Reads a request's ExpressionAttributeNames / ExpressionAttributeValues with AWS's
// checks, and converts the legacy parameters (Expected, AttributeUpdates, KeyConditions,
// QueryFilter, ScanFilter, AttributesToGet) into expression trees. Pure functions.
#pragma once

#include <optional>
#include <vector>

#include "emulator/dynamodb/expr/ast.h"
#include "emulator/dynamodb/expr/parser.h"
#include "protocol/core/result.h"

namespace edastack::dynamodb {

struct ExprInputs {
  expr::Json names = nullptr;   // object or null
  expr::Json values = nullptr;  // object (normalised values) or null
};

// Validates the placeholder maps. `expression_members` lists the request's expression
// members that are present (for "can only be specified when using expressions").
Result<ExprInputs> ReadExprInputs(const expr::Json& r);

// Parses an optional condition-like member (ConditionExpression, FilterExpression, ...).
Result<std::optional<expr::Condition>> OptionalCondition(expr::ParseContext& pc, const expr::Json& r,
                                                         const char* member);
// Parses an optional ProjectionExpression, or AttributesToGet.
Result<std::optional<std::vector<expr::Path>>> OptionalProjection(expr::ParseContext& pc,
                                                                  const expr::Json& r);

// Legacy conditions: `Expected` (PutItem/UpdateItem/DeleteItem) or a filter map
// (QueryFilter, ScanFilter, KeyConditions) with ConditionalOperator AND|OR.
Result<std::optional<expr::Condition>> LegacyCondition(const expr::Json& r, const char* member,
                                                       bool expected_style);
// Legacy AttributeUpdates → an update expression.
Result<std::optional<expr::UpdateExpression>> LegacyUpdates(const expr::Json& r);

// "Can not use both expression and non-expression parameters" check.
Status CheckNoMixing(const expr::Json& r, std::initializer_list<const char*> legacy,
                     std::initializer_list<const char*> modern);

}  // namespace edastack::dynamodb
