#include "emulator/dynamodb/expr/parser.h"

#include <algorithm>

#include "emulator/dynamodb/attribute_value.h"
#include "emulator/dynamodb/ddb_errors.h"
#include "emulator/dynamodb/expr/tokenizer.h"
#include "protocol/core/strings.h"

namespace edastack::dynamodb::expr {

std::string Path::Describe() const {
  std::string out = "[";
  for (size_t i = 0; i < elems.size(); ++i) {
    if (i) out += ", ";
    out += elems[i].is_index ? "[" + std::to_string(elems[i].index) + "]" : elems[i].name;
  }
  return out + "]";
}

namespace {

std::string Upper(const std::string& s) {
  std::string u = s;
  for (auto& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return u;
}

bool IsBoolFunction(const std::string& f) {
  return f == "attribute_exists" || f == "attribute_not_exists" || f == "attribute_type" ||
         f == "begins_with" || f == "contains";
}

class Parser {
 public:
  Parser(std::vector<Token> toks, ParseContext& ctx, std::string what, std::string text)
      : t_(std::move(toks)), ctx_(ctx), what_(std::move(what)), text_(std::move(text)) {}

  const Token& Peek(size_t k = 0) const { return t_[std::min(p_ + k, t_.size() - 1)]; }
  bool AtEnd() const { return Peek().kind == Tok::kEnd; }
  bool IsKeyword(const char* kw, size_t k = 0) const {
    return Peek(k).kind == Tok::kIdent && Upper(Peek(k).text) == kw;
  }
  AwsError Syntax() const {
    const Token& tok = Peek();
    size_t from = tok.pos >= 8 ? tok.pos - 8 : 0;
    std::string near = text_.substr(from, tok.pos - from + std::min<size_t>(tok.text.size() + 8, 16));
    return errors::Validation("Invalid " + what_ + ": Syntax error; token: \"" + tok.text +
                              "\", near: \"" + str::Trim(near) + "\"");
  }
  Status Expect(Tok k) {
    if (Peek().kind != k) return Syntax();
    ++p_;
    return OkStatus();
  }

  Result<Path> ParsePath() {
    Path path;
    EDA_TRY(ParsePathName(&path));
    while (true) {
      if (Peek().kind == Tok::kDot) {
        ++p_;
        EDA_TRY(ParsePathName(&path));
      } else if (Peek().kind == Tok::kLBracket) {
        ++p_;
        if (Peek().kind != Tok::kNumber) return Syntax();
        PathElem e;
        e.is_index = true;
        try {
          e.index = std::stoul(Peek().text);
        } catch (...) {
          return Syntax();
        }
        ++p_;
        EDA_TRY(Expect(Tok::kRBracket));
        path.elems.push_back(e);
      } else {
        break;
      }
    }
    return path;
  }

  Status ParsePathName(Path* path) {
    const Token& tok = Peek();
    PathElem e;
    if (tok.kind == Tok::kName) {
      EDA_ASSIGN_OR_RETURN(e.name, ctx_.ResolveName(tok.text, what_));
    } else if (tok.kind == Tok::kIdent) {
      if (std::isdigit(static_cast<unsigned char>(tok.text[0]))) return Syntax();
      if (IsReservedWord(Upper(tok.text)))
        return errors::Validation("Invalid " + what_ +
                                  ": Attribute name is a reserved keyword; reserved keyword: " +
                                  tok.text);
      e.name = tok.text;
    } else {
      return Syntax();
    }
    ++p_;
    path->elems.push_back(e);
    return OkStatus();
  }

  // path | :value | size(path) (conditions); with `update` also if_not_exists / list_append.
  Result<Operand> ParseOperand(bool update) {
    const Token& tok = Peek();
    Operand o;
    if (tok.kind == Tok::kValue) {
      o.kind = Operand::Kind::kValue;
      EDA_ASSIGN_OR_RETURN(o.value, ctx_.ResolveValue(tok.text, what_));
      ++p_;
      return o;
    }
    if (tok.kind == Tok::kIdent && Peek(1).kind == Tok::kLParen) {
      std::string f = tok.text;
      if (!update && f == "size") {
        p_ += 2;
        o.kind = Operand::Kind::kSize;
        EDA_ASSIGN_OR_RETURN(o.path, ParsePath());
        EDA_TRY(Expect(Tok::kRParen));
        return o;
      }
      if (update && f == "if_not_exists") {
        p_ += 2;
        o.kind = Operand::Kind::kIfNotExists;
        EDA_ASSIGN_OR_RETURN(o.path, ParsePath());
        EDA_TRY(Expect(Tok::kComma));
        EDA_ASSIGN_OR_RETURN(Operand d, ParseOperand(true));
        o.args.push_back(std::move(d));
        EDA_TRY(Expect(Tok::kRParen));
        return o;
      }
      if (update && f == "list_append") {
        p_ += 2;
        o.kind = Operand::Kind::kListAppend;
        EDA_ASSIGN_OR_RETURN(Operand a, ParseOperand(true));
        EDA_TRY(Expect(Tok::kComma));
        EDA_ASSIGN_OR_RETURN(Operand b, ParseOperand(true));
        EDA_TRY(Expect(Tok::kRParen));
        for (const Operand* x : {&a, &b})
          if (x->kind == Operand::Kind::kValue && TypeOf(x->value) != "L")
            return errors::Validation(
                "Invalid " + what_ +
                ": Incorrect operand type for operator or function; operator or function: "
                "list_append, operand type: " + TypeName(TypeOf(x->value)));
        o.args.push_back(std::move(a));
        o.args.push_back(std::move(b));
        return o;
      }
      if (IsBoolFunction(f) || f == "size" || f == "if_not_exists" || f == "list_append")
        return errors::Validation("Invalid " + what_ +
                                  ": The function is not allowed to be used this way in an "
                                  "expression; function: " + f);
      return errors::Validation("Invalid " + what_ + ": Invalid function name; function: " + f);
    }
    o.kind = Operand::Kind::kPath;
    EDA_ASSIGN_OR_RETURN(o.path, ParsePath());
    return o;
  }

  static std::string TypeName(const std::string& t) {
    if (t == "S") return "S";
    return t;
  }

  Result<Condition> ParseOr() {
    EDA_ASSIGN_OR_RETURN(Condition left, ParseAnd());
    while (IsKeyword("OR")) {
      ++p_;
      EDA_ASSIGN_OR_RETURN(Condition right, ParseAnd());
      Condition c;
      c.kind = Condition::Kind::kOr;
      c.children.push_back(std::move(left));
      c.children.push_back(std::move(right));
      left = std::move(c);
    }
    return left;
  }

  Result<Condition> ParseAnd() {
    EDA_ASSIGN_OR_RETURN(Condition left, ParseNot());
    while (IsKeyword("AND")) {
      ++p_;
      EDA_ASSIGN_OR_RETURN(Condition right, ParseNot());
      Condition c;
      c.kind = Condition::Kind::kAnd;
      c.children.push_back(std::move(left));
      c.children.push_back(std::move(right));
      left = std::move(c);
    }
    return left;
  }

  Result<Condition> ParseNot() {
    if (IsKeyword("NOT")) {
      ++p_;
      EDA_ASSIGN_OR_RETURN(Condition inner, ParseNot());
      Condition c;
      c.kind = Condition::Kind::kNot;
      c.children.push_back(std::move(inner));
      return c;
    }
    return ParsePrimary();
  }

  Result<Condition> ParsePrimary() {
    if (Peek().kind == Tok::kLParen) {
      ++p_;
      EDA_ASSIGN_OR_RETURN(Condition c, ParseOr());
      EDA_TRY(Expect(Tok::kRParen));
      return c;
    }
    if (Peek().kind == Tok::kIdent && Peek(1).kind == Tok::kLParen && IsBoolFunction(Peek().text))
      return ParseFunction();
    EDA_ASSIGN_OR_RETURN(Operand left, ParseOperand(false));
    Condition c;
    Tok k = Peek().kind;
    if (k == Tok::kEq || k == Tok::kNe || k == Tok::kLt || k == Tok::kLe || k == Tok::kGt ||
        k == Tok::kGe) {
      c.kind = Condition::Kind::kCompare;
      c.op = Peek().text;
      ++p_;
      EDA_ASSIGN_OR_RETURN(Operand right, ParseOperand(false));
      c.operands.push_back(std::move(left));
      c.operands.push_back(std::move(right));
      return c;
    }
    if (IsKeyword("BETWEEN")) {
      ++p_;
      c.kind = Condition::Kind::kBetween;
      EDA_ASSIGN_OR_RETURN(Operand lo, ParseOperand(false));
      if (!IsKeyword("AND")) return Syntax();
      ++p_;
      EDA_ASSIGN_OR_RETURN(Operand hi, ParseOperand(false));
      if (lo.kind == Operand::Kind::kValue && hi.kind == Operand::Kind::kValue) {
        auto cmp = CompareScalars(lo.value, hi.value);
        if (cmp && *cmp > 0)
          return errors::Validation(
              "Invalid " + what_ +
              ": The BETWEEN operator requires upper bound to be greater than or equal to lower "
              "bound; lower bound operand: AttributeValue: " + lo.value.dump() +
              ", upper bound operand: AttributeValue: " + hi.value.dump());
      }
      c.operands = {std::move(left), std::move(lo), std::move(hi)};
      return c;
    }
    if (IsKeyword("IN")) {
      ++p_;
      c.kind = Condition::Kind::kIn;
      EDA_TRY(Expect(Tok::kLParen));
      c.operands.push_back(std::move(left));
      while (true) {
        EDA_ASSIGN_OR_RETURN(Operand o, ParseOperand(false));
        c.operands.push_back(std::move(o));
        if (Peek().kind == Tok::kComma) {
          ++p_;
          continue;
        }
        break;
      }
      EDA_TRY(Expect(Tok::kRParen));
      if (c.operands.size() > 101)
        return errors::Validation("Invalid " + what_ +
                                  ": The IN operator is provided with too many operands; number "
                                  "of operands: " + std::to_string(c.operands.size() - 1));
      return c;
    }
    return Syntax();
  }

  Result<Condition> ParseFunction() {
    Condition c;
    c.kind = Condition::Kind::kFunction;
    c.op = Peek().text;
    p_ += 2;
    while (Peek().kind != Tok::kRParen) {
      EDA_ASSIGN_OR_RETURN(Operand o, ParseOperand(false));
      c.operands.push_back(std::move(o));
      if (Peek().kind == Tok::kComma) {
        ++p_;
        continue;
      }
      if (Peek().kind != Tok::kRParen) return Syntax();
    }
    ++p_;
    size_t want = (c.op == "attribute_exists" || c.op == "attribute_not_exists") ? 1 : 2;
    if (c.operands.size() != want)
      return errors::Validation("Invalid " + what_ +
                                ": Incorrect number of operands for operator or function; "
                                "operator or function: " + c.op + ", number of operands: " +
                                std::to_string(c.operands.size()));
    if (c.operands[0].kind != Operand::Kind::kPath)
      return errors::Validation("Invalid " + what_ +
                                ": Operator or function requires a document path; operator or "
                                "function: " + c.op);
    if (c.op == "attribute_type") {
      const Operand& t = c.operands[1];
      if (t.kind == Operand::Kind::kValue) {
        std::string ts = TypeOf(t.value) == "S" ? t.value["S"].get<std::string>() : "";
        static const char* kValid[] = {"S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"};
        bool ok = false;
        for (const char* v : kValid) ok = ok || ts == v;
        if (!ok)
          return errors::Validation("Invalid " + what_ + ": Invalid attribute type name found; type: " +
                                    ts + ", valid types: { B,NULL,SS,BOOL,L,BS,N,NS,S,M }");
      }
    }
    if (c.op == "begins_with" && c.operands[1].kind == Operand::Kind::kValue) {
      std::string t = TypeOf(c.operands[1].value);
      if (t != "S" && t != "B")
        return errors::Validation("Invalid " + what_ +
                                  ": Incorrect operand type for operator or function; operator or "
                                  "function: begins_with, operand type: " + t);
    }
    return c;
  }

  Result<UpdateExpression> ParseUpdateExpr() {
    UpdateExpression u;
    std::set<std::string> seen;
    if (AtEnd()) return Syntax();
    while (!AtEnd()) {
      if (Peek().kind != Tok::kIdent) return Syntax();
      std::string clause = Upper(Peek().text);
      UpdateAction::Kind kind;
      if (clause == "SET") kind = UpdateAction::Kind::kSet;
      else if (clause == "REMOVE") kind = UpdateAction::Kind::kRemove;
      else if (clause == "ADD") kind = UpdateAction::Kind::kAdd;
      else if (clause == "DELETE") kind = UpdateAction::Kind::kDelete;
      else return Syntax();
      if (!seen.insert(clause).second)
        return errors::Validation("Invalid UpdateExpression: The \"" + clause +
                                  "\" section can only be used once in an update expression;");
      ++p_;
      while (true) {
        UpdateAction a;
        a.kind = kind;
        EDA_ASSIGN_OR_RETURN(a.path, ParsePath());
        if (kind == UpdateAction::Kind::kSet) {
          EDA_TRY(Expect(Tok::kEq));
          EDA_ASSIGN_OR_RETURN(Operand v, ParseOperand(true));
          if (Peek().kind == Tok::kPlus || Peek().kind == Tok::kMinus) {
            Operand op;
            op.kind = Peek().kind == Tok::kPlus ? Operand::Kind::kPlus : Operand::Kind::kMinus;
            ++p_;
            EDA_ASSIGN_OR_RETURN(Operand r, ParseOperand(true));
            for (const Operand* x : {&v, &r})
              if (x->kind == Operand::Kind::kValue && TypeOf(x->value) != "N")
                return errors::Validation(
                    "Invalid UpdateExpression: Incorrect operand type for operator or function; "
                    "operator: " + std::string(op.kind == Operand::Kind::kPlus ? "+" : "-") +
                    ", operand type: " + TypeOf(x->value));
            op.args.push_back(std::move(v));
            op.args.push_back(std::move(r));
            v = std::move(op);
          }
          a.value = std::move(v);
        } else if (kind == UpdateAction::Kind::kAdd || kind == UpdateAction::Kind::kDelete) {
          if (Peek().kind != Tok::kValue) return Syntax();
          EDA_ASSIGN_OR_RETURN(a.value, ParseOperand(true));
          std::string t = TypeOf(a.value.value);
          bool ok = kind == UpdateAction::Kind::kAdd
                        ? (t == "N" || t == "SS" || t == "NS" || t == "BS")
                        : (t == "SS" || t == "NS" || t == "BS");
          if (!ok)
            return errors::Validation(
                "Invalid UpdateExpression: Incorrect operand type for operator or function; "
                "operator: " + clause + ", operand type: " + t);
        }
        u.actions.push_back(std::move(a));
        if (Peek().kind == Tok::kComma) {
          ++p_;
          continue;
        }
        break;
      }
    }
    // Paths may neither repeat nor overlap.
    for (size_t i = 0; i < u.actions.size(); ++i)
      for (size_t j = i + 1; j < u.actions.size(); ++j) {
        const auto& a = u.actions[i].path.elems;
        const auto& b = u.actions[j].path.elems;
        size_t n = std::min(a.size(), b.size());
        bool prefix = true;
        for (size_t k = 0; k < n && prefix; ++k)
          prefix = a[k].is_index == b[k].is_index && a[k].name == b[k].name &&
                   a[k].index == b[k].index;
        if (prefix)
          return errors::Validation(
              "Invalid UpdateExpression: Two document paths overlap with each other; must remove "
              "or rewrite one of these paths; path one: " + u.actions[i].path.Describe() +
              ", path two: " + u.actions[j].path.Describe());
      }
    return u;
  }

  size_t p_ = 0;
  std::vector<Token> t_;
  ParseContext& ctx_;
  std::string what_;
  std::string text_;
};

}  // namespace

Result<std::string> ParseContext::ResolveName(const std::string& placeholder,
                                              const std::string& what) {
  if (!names_.is_object() || !names_.contains(placeholder) || !names_[placeholder].is_string())
    return errors::Validation("Invalid " + what +
                              ": An expression attribute name used in the document path is not "
                              "defined; attribute name: " + placeholder);
  used_names_.insert(placeholder);
  return names_[placeholder].get<std::string>();
}

Result<Json> ParseContext::ResolveValue(const std::string& placeholder, const std::string& what) {
  if (!values_.is_object() || !values_.contains(placeholder))
    return errors::Validation("Invalid " + what +
                              ": An expression attribute value used in expression is not "
                              "defined; attribute value: " + placeholder);
  used_values_.insert(placeholder);
  return values_[placeholder];
}

Status ParseContext::CheckAllUsed() const {
  auto unused = [](const Json& m, const std::set<std::string>& used) {
    std::string keys;
    if (!m.is_object()) return keys;
    for (auto it = m.begin(); it != m.end(); ++it)
      if (!used.count(it.key())) keys += (keys.empty() ? "" : ", ") + it.key();
    return keys;
  };
  std::string n = unused(names_, used_names_);
  if (!n.empty())
    return errors::Validation(
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {" + n + "}");
  std::string v = unused(values_, used_values_);
  if (!v.empty())
    return errors::Validation(
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {" + v + "}");
  return OkStatus();
}

Result<Condition> ParseContext::ParseCondition(const std::string& text, const std::string& what) {
  if (str::Trim(text).empty())
    return errors::Validation("Invalid " + what + ": The expression can not be empty;");
  EDA_ASSIGN_OR_RETURN(auto toks, Tokenize(text, what));
  Parser p(std::move(toks), *this, what, text);
  EDA_ASSIGN_OR_RETURN(Condition c, p.ParseOr());
  if (!p.AtEnd()) return p.Syntax();
  return c;
}

Result<UpdateExpression> ParseContext::ParseUpdate(const std::string& text) {
  if (str::Trim(text).empty())
    return errors::Validation("Invalid UpdateExpression: The expression can not be empty;");
  EDA_ASSIGN_OR_RETURN(auto toks, Tokenize(text, "UpdateExpression"));
  Parser p(std::move(toks), *this, "UpdateExpression", text);
  return p.ParseUpdateExpr();
}

Result<std::vector<Path>> ParseContext::ParseProjection(const std::string& text) {
  if (str::Trim(text).empty())
    return errors::Validation("Invalid ProjectionExpression: The expression can not be empty;");
  EDA_ASSIGN_OR_RETURN(auto toks, Tokenize(text, "ProjectionExpression"));
  Parser p(std::move(toks), *this, "ProjectionExpression", text);
  std::vector<Path> out;
  while (true) {
    EDA_ASSIGN_OR_RETURN(Path path, p.ParsePath());
    out.push_back(std::move(path));
    if (p.Peek().kind == Tok::kComma) {
      ++p.p_;
      continue;
    }
    break;
  }
  if (!p.AtEnd()) return p.Syntax();
  for (size_t i = 0; i < out.size(); ++i)
    for (size_t j = i + 1; j < out.size(); ++j) {
      const auto& a = out[i].elems;
      const auto& b = out[j].elems;
      size_t n = std::min(a.size(), b.size());
      bool prefix = true;
      for (size_t k = 0; k < n && prefix; ++k)
        prefix = a[k].is_index == b[k].is_index && a[k].name == b[k].name && a[k].index == b[k].index;
      if (prefix)
        return errors::Validation(
            "Invalid ProjectionExpression: Two document paths overlap with each other; must "
            "remove or rewrite one of these paths; path one: " + out[i].Describe() +
            ", path two: " + out[j].Describe());
    }
  return out;
}

}  // namespace edastack::dynamodb::expr
