#include "emulator/dynamodb/request_expressions.h"

#include <map>

#include "emulator/dynamodb/attribute_value.h"
#include "emulator/dynamodb/ddb_errors.h"

namespace edastack::dynamodb {

using expr::Condition;
using expr::Operand;
using expr::Path;

Result<ExprInputs> ReadExprInputs(const Json& r) {
  ExprInputs in;
  if (r.contains("ExpressionAttributeNames") && !r["ExpressionAttributeNames"].is_null()) {
    const Json& n = r["ExpressionAttributeNames"];
    if (!n.is_object()) return errors::Validation("ExpressionAttributeNames must be a map");
    if (n.empty()) return errors::Validation("ExpressionAttributeNames must not be empty");
    for (auto it = n.begin(); it != n.end(); ++it) {
      if (it.key().size() < 2 || it.key()[0] != '#')
        return errors::Validation("ExpressionAttributeNames contains invalid key: Syntax error; key: \"" +
                                  it.key() + "\"");
      if (!it.value().is_string() || it.value().get<std::string>().empty())
        return errors::Validation("ExpressionAttributeNames contains invalid value: Empty attribute "
                                  "name for key " + it.key());
    }
    in.names = n;
  }
  if (r.contains("ExpressionAttributeValues") && !r["ExpressionAttributeValues"].is_null()) {
    Json v = r["ExpressionAttributeValues"];
    if (!v.is_object()) return errors::Validation("ExpressionAttributeValues must be a map");
    if (v.empty()) return errors::Validation("ExpressionAttributeValues must not be empty");
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (it.key().size() < 2 || it.key()[0] != ':')
        return errors::Validation("ExpressionAttributeValues contains invalid key: Syntax error; key: \"" +
                                  it.key() + "\"");
      Status s = NormalizeValue(it.value());
      if (!s.ok())
        return errors::Validation("ExpressionAttributeValues contains invalid value: " +
                                  s.error().message + " for key " + it.key());
    }
    in.values = v;
  }
  return in;
}

Result<std::optional<Condition>> OptionalCondition(expr::ParseContext& pc, const Json& r,
                                                   const char* member) {
  if (!r.contains(member) || r[member].is_null()) return std::optional<Condition>();
  if (!r[member].is_string()) return errors::Validation(std::string(member) + " must be a string");
  EDA_ASSIGN_OR_RETURN(Condition c, pc.ParseCondition(r[member].get<std::string>(), member));
  return std::optional<Condition>(std::move(c));
}

Result<std::optional<std::vector<Path>>> OptionalProjection(expr::ParseContext& pc, const Json& r) {
  if (r.contains("ProjectionExpression") && r["ProjectionExpression"].is_string()) {
    EDA_ASSIGN_OR_RETURN(auto paths, pc.ParseProjection(r["ProjectionExpression"].get<std::string>()));
    return std::optional<std::vector<Path>>(std::move(paths));
  }
  if (r.contains("AttributesToGet") && r["AttributesToGet"].is_array()) {
    std::vector<Path> paths;
    for (const auto& a : r["AttributesToGet"]) {
      Path p;
      expr::PathElem e;
      e.name = a.get<std::string>();
      p.elems.push_back(e);
      paths.push_back(p);
    }
    return std::optional<std::vector<Path>>(std::move(paths));
  }
  return std::optional<std::vector<Path>>();
}

Status CheckNoMixing(const Json& r, std::initializer_list<const char*> legacy,
                     std::initializer_list<const char*> modern) {
  std::string l, m;
  for (const char* k : legacy)
    if (r.contains(k) && !r[k].is_null()) l += (l.empty() ? "" : ", ") + std::string(k);
  for (const char* k : modern)
    if (r.contains(k) && !r[k].is_null()) m += (m.empty() ? "" : ", ") + std::string(k);
  if (!l.empty() && !m.empty())
    return errors::Validation("Can not use both expression and non-expression parameters in the "
                              "same request: Non-expression parameters: {" + l +
                              "} Expression parameters: {" + m + "}");
  return OkStatus();
}

namespace {

Operand PathOperand(const std::string& name) {
  Operand o;
  o.kind = Operand::Kind::kPath;
  expr::PathElem e;
  e.name = name;
  o.path.elems.push_back(e);
  return o;
}

Operand ValueOperand(Json v) {
  Operand o;
  o.kind = Operand::Kind::kValue;
  o.value = std::move(v);
  return o;
}

Condition Compare(const std::string& name, const std::string& op, const Json& v) {
  Condition c;
  c.kind = Condition::Kind::kCompare;
  c.op = op;
  c.operands = {PathOperand(name), ValueOperand(v)};
  return c;
}

Condition Function(const std::string& f, const std::string& name, std::optional<Json> v) {
  Condition c;
  c.kind = Condition::Kind::kFunction;
  c.op = f;
  c.operands.push_back(PathOperand(name));
  if (v) c.operands.push_back(ValueOperand(*v));
  return c;
}

Condition Not(Condition inner) {
  Condition c;
  c.kind = Condition::Kind::kNot;
  c.children.push_back(std::move(inner));
  return c;
}

Result<Condition> OneLegacy(const std::string& name, const Json& spec, bool expected_style) {
  Json values = spec.contains("AttributeValueList") ? spec["AttributeValueList"] : Json::array();
  for (auto& v : values) EDA_TRY(NormalizeValue(v));
  if (expected_style && !spec.contains("ComparisonOperator")) {
    if (spec.contains("Exists") && !spec["Exists"].get<bool>()) {
      if (spec.contains("Value"))
        return errors::Validation("One or more parameter values were invalid: Value cannot be used "
                                  "when Exists is false for Attribute: " + name);
      return Function("attribute_not_exists", name, std::nullopt);
    }
    if (!spec.contains("Value"))
      return errors::Validation("One or more parameter values were invalid: Value must be provided "
                                "when Exists is true for Attribute: " + name);
    Json v = spec["Value"];
    EDA_TRY(NormalizeValue(v));
    return Compare(name, "=", v);
  }
  std::string op = spec.value("ComparisonOperator", "");
  auto need = [&](size_t n) -> Status {
    if (values.size() != n)
      return errors::Validation("One or more parameter values were invalid: Invalid number of "
                                "argument(s) for the " + op + " ComparisonOperator");
    return OkStatus();
  };
  static const std::map<std::string, std::string> kCmp = {
      {"EQ", "="}, {"NE", "<>"}, {"LT", "<"}, {"LE", "<="}, {"GT", ">"}, {"GE", ">="}};
  if (kCmp.count(op)) {
    EDA_TRY(need(1));
    return Compare(name, kCmp.at(op), values[0]);
  }
  if (op == "NULL") {
    EDA_TRY(need(0));
    return Function("attribute_not_exists", name, std::nullopt);
  }
  if (op == "NOT_NULL") {
    EDA_TRY(need(0));
    return Function("attribute_exists", name, std::nullopt);
  }
  if (op == "CONTAINS" || op == "BEGINS_WITH") {
    EDA_TRY(need(1));
    return Function(op == "CONTAINS" ? "contains" : "begins_with", name, values[0]);
  }
  if (op == "NOT_CONTAINS") {
    EDA_TRY(need(1));
    Condition both;
    both.kind = Condition::Kind::kAnd;
    both.children.push_back(Function("attribute_exists", name, std::nullopt));
    both.children.push_back(Not(Function("contains", name, values[0])));
    return both;
  }
  if (op == "IN") {
    if (values.empty()) return need(1).take_error();
    Condition c;
    c.kind = Condition::Kind::kIn;
    c.operands.push_back(PathOperand(name));
    for (const auto& v : values) c.operands.push_back(ValueOperand(v));
    return c;
  }
  if (op == "BETWEEN") {
    EDA_TRY(need(2));
    Condition c;
    c.kind = Condition::Kind::kBetween;
    c.operands = {PathOperand(name), ValueOperand(values[0]), ValueOperand(values[1])};
    return c;
  }
  return errors::Validation("1 validation error detected: Value '" + op +
                            "' at 'comparisonOperator' failed to satisfy constraint: Member must "
                            "satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, "
                            "GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]");
}

}  // namespace

Result<std::optional<Condition>> LegacyCondition(const Json& r, const char* member,
                                                 bool expected_style) {
  if (!r.contains(member) || !r[member].is_object() || r[member].empty())
    return std::optional<Condition>();
  std::string conj = r.value("ConditionalOperator", "AND");
  std::optional<Condition> acc;
  for (auto it = r[member].begin(); it != r[member].end(); ++it) {
    EDA_ASSIGN_OR_RETURN(Condition c, OneLegacy(it.key(), it.value(), expected_style));
    if (!acc) {
      acc = std::move(c);
      continue;
    }
    Condition j;
    j.kind = conj == "OR" ? Condition::Kind::kOr : Condition::Kind::kAnd;
    j.children.push_back(std::move(*acc));
    j.children.push_back(std::move(c));
    acc = std::move(j);
  }
  return acc;
}

Result<std::optional<expr::UpdateExpression>> LegacyUpdates(const Json& r) {
  if (!r.contains("AttributeUpdates") || !r["AttributeUpdates"].is_object())
    return std::optional<expr::UpdateExpression>();
  expr::UpdateExpression u;
  for (auto it = r["AttributeUpdates"].begin(); it != r["AttributeUpdates"].end(); ++it) {
    expr::UpdateAction a;
    a.path = PathOperand(it.key()).path;
    std::string action = it.value().value("Action", "PUT");
    Json v = it.value().contains("Value") ? it.value()["Value"] : Json();
    if (!v.is_null()) EDA_TRY(NormalizeValue(v));
    if (action == "PUT") {
      if (v.is_null())
        return errors::Validation("One or more parameter values were invalid: Only DELETE action "
                                  "is allowed when no attribute value is specified");
      a.kind = expr::UpdateAction::Kind::kSet;
      a.value = ValueOperand(v);
    } else if (action == "DELETE") {
      if (v.is_null()) {
        a.kind = expr::UpdateAction::Kind::kRemove;
      } else {
        a.kind = expr::UpdateAction::Kind::kDelete;
        a.value = ValueOperand(v);
      }
    } else if (action == "ADD") {
      std::string t = TypeOf(v);
      if (t != "N" && t != "SS" && t != "NS" && t != "BS" && t != "L")
        return errors::Validation("One or more parameter values were invalid: ADD action is not "
                                  "supported for the type " + t);
      if (t == "L") {
        a.kind = expr::UpdateAction::Kind::kSet;
        Operand la;
        la.kind = Operand::Kind::kListAppend;
        Operand ine;
        ine.kind = Operand::Kind::kIfNotExists;
        ine.path = a.path;
        ine.args.push_back(ValueOperand(Json{{"L", Json::array()}}));
        la.args = {ine, ValueOperand(v)};
        a.value = la;
      } else {
        a.kind = expr::UpdateAction::Kind::kAdd;
        a.value = ValueOperand(v);
      }
    } else {
      return errors::Validation("1 validation error detected: Value '" + action +
                                "' at 'attributeUpdates." + it.key() +
                                ".member.action' failed to satisfy constraint: Member must "
                                "satisfy enum value set: [ADD, PUT, DELETE]");
    }
    u.actions.push_back(std::move(a));
  }
  return std::optional<expr::UpdateExpression>(std::move(u));
}

}  // namespace edastack::dynamodb
