// Evaluates parsed expressions against an item (a JSON map of name → AttributeValue).
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <vector>

#include "emulator/dynamodb/expr/ast.h"
#include "protocol/core/result.h"

namespace edastack::dynamodb::expr {

// The value at `path`, or nullptr when the item has none.
const Json* Resolve(const Json& item, const Path& path);

// Condition / filter value. An absent item is an empty map.
bool Evaluate(const Condition& c, const Json& item);

// The projected item: only the listed paths, nested structure kept (list elements compacted).
Json Project(const Json& item, const std::vector<Path>& paths);

// Applies an update expression to `item` in place (operands read from the original item).
// `touched` receives the top-level names that were written (for UPDATED_* return values).
// Errors are ValidationExceptions (bad document path, wrong operand types).
Status ApplyUpdate(const UpdateExpression& u, Json& item, std::vector<Path>* touched);

}  // namespace edastack::dynamodb::expr
