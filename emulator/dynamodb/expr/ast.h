// The syntax trees of DynamoDB expressions, with placeholders already resolved (names to
// attribute names, values to AttributeValues). Plain values.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace edastack::dynamodb::expr {

using Json = nlohmann::json;

struct PathElem {
  bool is_index = false;
  std::string name;  // when !is_index
  size_t index = 0;  // when is_index
};

struct Path {
  std::vector<PathElem> elems;
  // "[a, b, [2]]" as AWS prints paths in messages.
  std::string Describe() const;
  std::string TopName() const { return elems.empty() ? "" : elems[0].name; }
};

struct Operand {
  enum class Kind { kPath, kValue, kSize, kIfNotExists, kListAppend, kPlus, kMinus };
  Kind kind = Kind::kValue;
  Path path;                   // kPath, kSize, kIfNotExists
  Json value;                  // kValue
  std::vector<Operand> args;   // kIfNotExists (1: default), kListAppend / kPlus / kMinus (2)
};

struct Condition {
  enum class Kind { kCompare, kBetween, kIn, kAnd, kOr, kNot, kFunction };
  Kind kind = Kind::kCompare;
  std::string op;                   // "=", "<>", "<", "<=", ">", ">=" or the function name
  std::vector<Operand> operands;    // compare: 2; between: 3; in: 1 + list; function: args
  std::vector<Condition> children;  // and/or: 2; not: 1
};

struct UpdateAction {
  enum class Kind { kSet, kRemove, kAdd, kDelete };
  Kind kind;
  Path path;
  Operand value;  // SET / ADD / DELETE
};

struct UpdateExpression {
  std::vector<UpdateAction> actions;  // in expression order
};

}  // namespace edastack::dynamodb::expr
