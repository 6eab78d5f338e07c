// Parser for DynamoDB expressions: tokens → ast.h trees, resolving #name / :value
// placeholders through a ParseContext that records which ones were used so the caller
// can reject unused ones. Not thread-safe per context; the functions are pure otherwise.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "emulator/dynamodb/expr/ast.h"
#include "protocol/core/result.h"

namespace edastack::dynamodb::expr {

class ParseContext {
 public:
  // `names` / `values` are the request's ExpressionAttributeNames / Values (objects or null).
  ParseContext(const Json& names, const Json& values) : names_(names), values_(values) {}

  Result<Condition> ParseCondition(const std::string& text, const std::string& what);
  Result<UpdateExpression> ParseUpdate(const std::string& text);
  Result<std::vector<Path>> ParseProjection(const std::string& text);

  // ValidationException when a supplied name or value was never used (call after parsing
  // every expression of the request).
  Status CheckAllUsed() const;

  // Used by the parser implementation.
  Result<std::string> ResolveName(const std::string& placeholder, const std::string& what);
  Result<Json> ResolveValue(const std::string& placeholder, const std::string& what);

 private:
  const Json names_;
  const Json values_;
  std::set<std::string> used_names_, used_values_;
};

}  // namespace edastack::dynamodb::expr
