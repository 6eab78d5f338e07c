// Tokenizer for DynamoDB expressions (condition, filter, key condition, update,
// projection). Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "protocol/core/result.h"

namespace edastack::dynamodb::expr {

enum class Tok {
  kIdent,     // attribute name or keyword (AND, SET, BETWEEN...) or function name
  kName,      // #placeholder (text includes '#')
  kValue,     // :placeholder (text includes ':')
  kNumber,    // list index digits
  kLParen, kRParen, kLBracket, kRBracket, kComma, kDot,
  kEq, kNe, kLt, kLe, kGt, kGe, kPlus, kMinus,
  kEnd,
};

struct Token {
  Tok kind;
  std::string text;
  size_t pos;  // offset in the expression
};

// Splits `text` into tokens ending with kEnd. `what` names the expression for error
// messages ("ConditionExpression", "UpdateExpression", ...).
Result<std::vector<Token>> Tokenize(const std::string& text, const std::string& what);

// AWS's reserved words; `upper` must be upper case.
bool IsReservedWord(const std::string& upper);

}  // namespace edastack::dynamodb::expr
