#include "emulator/dynamodb/expr/tokenizer.h"

#include <cctype>

#include "emulator/dynamodb/ddb_errors.h"

namespace edastack::dynamodb::expr {
namespace {

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

}  // namespace

Result<std::vector<Token>> Tokenize(const std::string& text, const std::string& what) {
  std::vector<Token> out;
  size_t i = 0, n = text.size();
  auto syntax = [&](size_t at) {
    size_t from = at >= 2 ? at - 2 : 0;
    return errors::Validation("Invalid " + what + ": Syntax error; token: \"" +
                              text.substr(at, 1) + "\", near: \"" + text.substr(from, 5) + "\"");
  };
  while (i < n) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    size_t start = i;
    auto single = [&](Tok k) {
      out.push_back({k, std::string(1, c), start});
      ++i;
    };
    switch (c) {
      case '(': single(Tok::kLParen); continue;
      case ')': single(Tok::kRParen); continue;
      case '[': single(Tok::kLBracket); continue;
      case ']': single(Tok::kRBracket); continue;
      case ',': single(Tok::kComma); continue;
      case '.': single(Tok::kDot); continue;
      case '=': single(Tok::kEq); continue;
      case '+': single(Tok::kPlus); continue;
      case '-': single(Tok::kMinus); continue;
      default: break;
    }
    if (c == '<') {
      if (i + 1 < n && text[i + 1] == '>') {
        out.push_back({Tok::kNe, "<>", start});
        i += 2;
      } else if (i + 1 < n && text[i + 1] == '=') {
        out.push_back({Tok::kLe, "<=", start});
        i += 2;
      } else {
        single(Tok::kLt);
      }
      continue;
    }
    if (c == '>') {
      if (i + 1 < n && text[i + 1] == '=') {
        out.push_back({Tok::kGe, ">=", start});
        i += 2;
      } else {
        single(Tok::kGt);
      }
      continue;
    }
    if (c == '#' || c == ':') {
      ++i;
      while (i < n && IsWordChar(text[i])) ++i;
      if (i == start + 1) return syntax(start);
      out.push_back({c == '#' ? Tok::kName : Tok::kValue, text.substr(start, i - start), start});
      continue;
    }
    if (std::isdigit(static_cast<unsigned char>(c))) {
      while (i < n && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
      if (i < n && IsWordChar(text[i])) {
        while (i < n && IsWordChar(text[i])) ++i;
        out.push_back({Tok::kIdent, text.substr(start, i - start), start});
      } else {
        out.push_back({Tok::kNumber, text.substr(start, i - start), start});
      }
      continue;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      while (i < n && IsWordChar(text[i])) ++i;
      out.push_back({Tok::kIdent, text.substr(start, i - start), start});
      continue;
    }
    return syntax(start);
  }
  out.push_back({Tok::kEnd, "<EOF>", n});
  return out;
}

}  // namespace edastack::dynamodb::expr
